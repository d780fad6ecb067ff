"""The audit log as a samordnare reads it: labels, values and local times, never the stored keys."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.audit_display import audit_rows
from samverkan.core.models import AuditEntry, Level, Notice
from samverkan.situation.services.picture import picture_agree
from tests.situation.test_picture import submit_world_report


def _log(world, **query):
    url = reverse("core:audit_log", kwargs={"collaboration_id": world.a.pk})
    return world.client("samordnare").get(url, query)


def test_log_after_a_picture_is_agreed_renders_labels_and_local_times(world):
    # Before: the stored key "items" shadowed the dict method in the template and the page answered 500.
    report = submit_world_report(world)
    picture_agree(
        round_=world.situation["A"]["round"],
        acting_user=world.users["samordnare"],
        meeting="REK",
        meeting_date=dt.date(2026, 11, 1),
    )
    response = _log(world)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Antal delar" in body
    assert ">items<" not in body
    # The report's submission: the verbose name and Stockholm time, not the field and UTC.
    entry = AuditEntry.objects.filter(target_type="situation.report", target_id=str(report.pk)).first()
    assert entry is not None and "submitted_at" in entry.changes
    assert "submitted_at" not in body
    stored = dt.datetime.fromisoformat(entry.changes["submitted_at"][1])
    assert stored.utcoffset() == dt.timedelta(0)
    stockholm = stored.astimezone(zoneinfo.ZoneInfo("Europe/Stockholm"))
    assert stockholm.strftime("%Y-%m-%d %H:%M") in body
    assert "Inskickad" in body
    assert "+00:00" not in body
    # An answer's question (a part of the shipped template) is named by its text.
    question = report.answers.first().question
    assert f"Fråga</dt><dd>– → {question}</dd>" in body


def test_labels_choices_and_roles_instead_of_codes(world):
    notice = Notice.objects.create(
        collaboration=world.a,
        title="Loggad",
        body="x",
        level=Level.INTERN,
        author=world.users["samordnare"],
    )
    before = snapshot(notice)
    notice.level = Level.BEGRANSAD
    notice.restricted_to = "polis"
    notice.save()
    audit_change(
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        obj=notice,
        before=before,
        after=snapshot(notice),
    )
    body = _log(world).content.decode()
    assert "Sekretessnivå" in body and "Begränsad till roller" in body
    assert "restricted_to" not in body and ">level<" not in body
    assert "Intern → Begränsad" in body
    assert "Polis, Samordnare → Polis" in body
    assert "polis,samordnare" not in body


def _focus_change(world, parent_ids):
    from samverkan.agreements.models import FocusArea

    child = FocusArea.objects.filter(collaboration=world.a).first()
    return AuditEntry.objects.create(
        collaboration=world.a,
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        target_type="agreements.focusarea",
        target_id=str(child.pk),
        target_repr="Fokus",
        changes={
            "collaboration": [None, world.a.pk],
            "parent": parent_ids,
            "agreement": [None, world.agreements["A"]["agreement"].pk],
        },
    )


def test_related_rows_are_named_only_when_the_reader_may_read_them(world):
    from samverkan.agreements.models import FocusArea

    def focus(collaboration, level, **extra):
        return FocusArea.objects.create(
            collaboration=collaboration,
            agreement=world.agreements["A"]["agreement"],
            title=f"RELATERAD-{level}-{extra.get('restricted_to', '')}-{collaboration.pk}",
            level=level,
            **extra,
        )

    intern = focus(world.a, Level.INTERN)
    readable_begransad = focus(world.a, Level.BEGRANSAD, restricted_to="polis,samordnare")
    police_only = focus(world.a, Level.BEGRANSAD, restricted_to="polis")
    other = focus(world.b, Level.OPPEN)
    entries = [
        _focus_change(world, [intern.pk, readable_begransad.pk]),
        _focus_change(world, [police_only.pk, other.pk]),
    ]
    rows = audit_rows(entries, user=world.users["samordnare"], collaboration=world.a)
    changes = [{c.label: c for c in row.changes} for row in rows]
    assert changes[0]["Samverkan"].after == world.a.name
    assert changes[0]["Överenskommelse"].after == str(world.agreements["A"]["agreement"])
    # Intern: named. Begränsad rows are named by id only, as the log names them everywhere.
    assert changes[0]["Delprioritering till"].before == intern.title
    assert changes[0]["Delprioritering till"].after == f"#{readable_begransad.pk}"
    assert changes[1]["Delprioritering till"].before == f"#{police_only.pk}"
    # Another collaboration's row: not readable, not named.
    assert changes[1]["Delprioritering till"].after == f"#{other.pk}"
    body = _log(world).content.decode()
    assert "RELATERAD-intern" in body
    assert "RELATERAD-begransad" not in body and "RELATERAD-oppen" not in body


def test_users_are_named_when_they_are_members(world):
    entry = AuditEntry.objects.create(
        collaboration=world.a,
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        target_type="core.notice",
        target_id=str(world.notices[Level.INTERN].pk),
        target_repr="x",
        changes={"author": [world.users["outsider"].pk, world.users["polis"].pk]},
    )
    (row,) = audit_rows([entry], user=world.users["samordnare"], collaboration=world.a)
    (change,) = row.changes
    assert change.label == "Författare"
    assert change.before == f"#{world.users['outsider'].pk}"
    assert change.after == "polis@example.org"


def test_entries_without_a_model_or_pairs_still_render(world):
    AuditEntry.objects.create(
        collaboration=world.a,
        actor=None,
        action=AuditEntry.Action.DELETE,
        target_type="retention",
        target_id="core.notice",
        target_repr="Meddelanden (gallring)",
        changes={"rows": 3, "older_than": "2020-01-01", "years": 5, "action": "delete", "items": 2},
    )
    response = _log(world)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Meddelanden (gallring)" in body
    assert "Rader" in body and "Äldre än" in body


# --- No identifier in the log's copies of text (issue 11 item 3) ----------------------------------------

PERSONNUMMER = "19121212-1212"  # Tolvan Tolvansson, Skatteverket's test person


def test_the_log_stores_labels_and_diffs_masked(world):
    # Before: the label and the diff kept the personnummer, also after the text was edited.
    notice = Notice.objects.create(
        collaboration=world.a,
        title=f"Anmälan {PERSONNUMMER}",  # written before the guard refused it
        body=f"Ring 070-123 45 67 om {PERSONNUMMER}",
        level=Level.INTERN,
        author=world.users["samordnare"],
    )
    before = snapshot(notice)
    notice.title, notice.body = "Anmälan", "Ring om det behövs."
    notice.save()
    entry = audit_change(
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        obj=Notice(pk=notice.pk, collaboration=world.a, title=before["title"], level=Level.INTERN),
        before=before,
        after=snapshot(notice),
    )
    entry.refresh_from_db()
    stored = f"{entry.target_repr} {entry.changes}"
    assert "19121212-1212" not in stored and "123 45 67" not in stored
    assert entry.target_repr == "Anmälan 19121212-****"
    assert entry.changes["body"] == ["Ring 070-*** ** 67 om 19121212-****", "Ring om det behövs."]


def test_the_log_shows_old_entries_masked(world):
    AuditEntry.objects.create(
        collaboration=world.a,
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        target_type="situation.answer",
        target_id="1",
        target_repr=f"Svar om {PERSONNUMMER}",
        changes={"text": [f"Gäller {PERSONNUMMER}, anna@example.org", "Gäller ingen"]},
    )
    body = _log(world).content.decode()
    assert PERSONNUMMER not in body and "anna@example.org" not in body
    assert "Svar om 19121212-****" in body and "Gäller 19121212-****, a***@example.org" in body


def test_a_membership_keeps_the_members_address(world):
    from samverkan.core.models import Membership

    user = world.users["ledamot"]
    user.username = user.email  # as accounts are named in a deployment (login by e-mail)
    user.save()
    membership = Membership.objects.filter(collaboration=world.a, user=user).first()
    entry = audit_change(
        actor=world.users["samordnare"],
        action=AuditEntry.Action.UPDATE,
        obj=membership,
        after=snapshot(membership),
    )
    assert world.users["ledamot"].email in entry.target_repr
    (row,) = audit_rows([entry], user=world.users["samordnare"], collaboration=world.a)
    assert world.users["ledamot"].email in row.target
