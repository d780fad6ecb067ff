"""Services: validation, permissions, transactions and the audit log."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.core import services
from samverkan.core.audit import REDACTED
from samverkan.core.models import AuditEntry, Level, Membership, Notice, Organisation, Role
from samverkan.core.selectors import get_notice_for_user, notices_for_display
from tests.audit import logged_ids, read_entries


def test_notice_create_writes_audit_entry_with_after_values(world):
    notice = services.notice_create(
        collaboration=world.a,
        title="Trafiken vid skolan",
        body="Många bilar vid lämning.",
        level=Level.INTERN,
        restricted_to=[],
        acting_user=world.users["ledamot"],
    )
    entry = AuditEntry.objects.get(target_type="core.notice", target_id=str(notice.pk), action="create")
    assert entry.actor == world.users["ledamot"]
    assert entry.collaboration == world.a
    assert entry.changes["title"] == [None, "Trafiken vid skolan"]


def test_notice_update_records_before_and_after(world):
    notice = world.notices[Level.INTERN]
    services.notice_update(
        notice=notice,
        title="Ny rubrik",
        body=notice.body,
        level=Level.INTERN,
        restricted_to=[],
        acting_user=world.users["samordnare"],
    )
    entry = AuditEntry.objects.get(target_id=str(notice.pk), action="update")
    assert entry.changes["title"] == ["KANARIE-A-INTERN", "Ny rubrik"]


def test_begransad_content_is_redacted_in_the_audit_log(world):
    notice = services.notice_create(
        collaboration=world.a,
        title="HEMLIG-RUBRIK",
        body="HEMLIG-TEXT",
        level=Level.BEGRANSAD,
        restricted_to=["polis"],
        acting_user=world.users["polis"],
    )
    entry = AuditEntry.objects.get(target_id=str(notice.pk), action="create")
    assert "HEMLIG" not in entry.target_repr
    assert entry.changes["title"] == [REDACTED, REDACTED]
    assert entry.changes["level"] == [None, "begransad"]


def test_reading_begransad_content_is_logged(world):
    polis = world.users["polis"]
    get_notice_for_user(polis, world.a, world.notices[Level.BEGRANSAD].pk)
    shown = notices_for_display(user=polis, collaboration=world.a)
    restricted_shown = {str(n.pk) for n in shown if n.level == Level.BEGRANSAD}
    # Outside a request each call writes its own entry: one for the notice, one for the list.
    assert read_entries(polis).count() == 2
    assert logged_ids(polis, "core.notice") == restricted_shown | {str(world.notices[Level.BEGRANSAD].pk)}
    assert str(world.notices[Level.INTERN].pk) not in logged_ids()


def test_lasare_cannot_post(world):
    with pytest.raises(PermissionDenied):
        services.notice_create(
            collaboration=world.a,
            title="x",
            body="y",
            level=Level.INTERN,
            restricted_to=[],
            acting_user=world.users["lasare"],
        )


def test_begransad_must_include_own_role(world):
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            collaboration=world.a,
            title="x",
            body="y",
            level=Level.BEGRANSAD,
            restricted_to=["polis"],
            acting_user=world.users["ledamot"],
        )
    assert "restricted_to" in exc.value.error_dict
    assert not Notice.objects.filter(title="x").exists()


def test_unknown_level_is_rejected(world):
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            collaboration=world.a,
            title="x",
            body="y",
            level="hemlig",
            restricted_to=[],
            acting_user=world.users["samordnare"],
        )
    assert "level" in exc.value.error_dict


def test_invite_creates_user_membership_and_sends_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_invite(
            collaboration=world.a,
            email="Ny.Person@Example.org",
            name="Ny Person",
            role=Role.LEDAMOT,
            organisation=world.org_a,
            acting_user=world.users["samordnare"],
        )
    assert membership.user.email == "ny.person@example.org"
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    assert world.a.name in mail.outbox[0].subject


def test_invite_existing_member_fails_and_sends_nothing(world):
    with pytest.raises(ValidationError) as exc:
        services.membership_invite(
            collaboration=world.a,
            email="ledamot@example.org",
            name="L",
            role=Role.LEDAMOT,
            organisation=None,
            acting_user=world.users["samordnare"],
        )
    assert "email" in exc.value.error_dict
    assert mail.outbox == []


def test_invite_with_organisation_outside_collaboration_fails(world):
    with pytest.raises(ValidationError) as exc:
        services.membership_invite(
            collaboration=world.a,
            email="x@example.org",
            name="X",
            role=Role.LEDAMOT,
            organisation=world.org_b,
            acting_user=world.users["samordnare"],
        )
    assert "organisation" in exc.value.error_dict
    assert not Membership.objects.filter(user__email="x@example.org").exists()


def test_only_samordnare_may_invite(world):
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            collaboration=world.a,
            email="x@example.org",
            name="X",
            role=Role.LEDAMOT,
            organisation=None,
            acting_user=world.users["polis"],
        )


def test_last_samordnare_cannot_be_removed_or_demoted(world):
    membership = Membership.objects.get(user=world.users["samordnare"], collaboration=world.a)
    with pytest.raises(ValidationError):
        services.membership_update(
            membership=membership, role=Role.LEDAMOT, organisation=None, acting_user=world.users["samordnare"]
        )
    with pytest.raises(ValidationError):
        services.membership_remove(membership=membership, acting_user=world.users["samordnare"])
    assert Membership.objects.filter(pk=membership.pk, role=Role.SAMORDNARE).exists()


def test_organisation_create_adds_participation_and_rejects_duplicates(world):
    org = services.organisation_create(
        collaboration=world.a,
        name="Malå IF",
        kind=Organisation.Kind.FORENING,
        home_kommun=None,
        acting_user=world.users["samordnare"],
    )
    assert world.a.participations.filter(organisation=org).exists()
    with pytest.raises(ValidationError):
        services.organisation_create(
            collaboration=world.a,
            name="malå if",
            kind=Organisation.Kind.FORENING,
            home_kommun=None,
            acting_user=world.users["samordnare"],
        )


def test_participation_with_members_cannot_be_removed(world):
    participation = world.a.participations.get(organisation=world.org_a)
    with pytest.raises(ValidationError):
        services.participation_remove(participation=participation, acting_user=world.users["samordnare"])


def test_api_token_round_trip_and_revocation(world):
    token, raw = services.api_token_create(user=world.users["ledamot"], name="BI")
    assert raw.startswith("svk_") and token.key_hash != raw
    assert services.api_token_authenticate(raw) == world.users["ledamot"]
    services.api_token_revoke(token=token, acting_user=world.users["ledamot"])
    assert services.api_token_authenticate(raw) is None
    assert services.api_token_authenticate("svk_nonsense") is None
    assert services.api_token_authenticate("") is None


def test_cannot_revoke_someone_elses_token(world):
    token, _raw = services.api_token_create(user=world.users["ledamot"], name="BI")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, acting_user=world.users["lasare"])
