"""Agreement services: validation, renewal, focus area history, groups, promises, year wheel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.agreements import selectors, services
from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    FocusAreaChange,
    Group,
    GroupMember,
    PromiseActivity,
    Signatory,
)
from samverkan.core.content import guard_public_text
from samverkan.core.models import AuditEntry, Kommun, Level, Organisation, Person
from tests.agreements.factories import draft_agreement

D = dt.date


@pytest.fixture
def draft(world):
    return draft_agreement(collaboration=world.a, acting_user=world.users["samordnare"])


def test_create_is_audited_and_public_by_default(world, draft):
    assert draft.level == Level.OPPEN and draft.status == Agreement.Status.UTKAST
    assert AuditEntry.objects.filter(
        target_type="agreements.agreement", target_id=str(draft.pk), action="create"
    ).exists()


def test_end_before_start_is_a_field_error(world):
    with pytest.raises(ValidationError) as exc:
        draft_agreement(
            collaboration=world.a, acting_user=world.users["samordnare"], title="Fel", end_date=D(2026, 1, 1)
        )
    assert "end_date" in exc.value.error_dict
    assert not Agreement.objects.filter(title="Fel").exists()


def test_overlapping_active_agreement_is_refused(world):
    # world.agreements["A"] is gällande 2024–2026.
    with pytest.raises(ValidationError) as exc:
        draft_agreement(
            collaboration=world.a, acting_user=world.users["samordnare"], start_date=D(2026, 6, 1)
        )
    assert "start_date" in exc.value.error_dict


def test_kommun_outside_collaboration_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        draft_agreement(
            collaboration=world.a,
            acting_user=world.users["samordnare"],
            kommuner=[Kommun.objects.get(kod="2039")],
        )
    assert "kommuner" in exc.value.error_dict


@pytest.mark.parametrize("persona", ["ledamot", "polis", "lasare", "outsider"])
def test_only_samordnare_writes(world, persona):
    with pytest.raises(PermissionDenied):
        draft_agreement(collaboration=world.a, acting_user=world.users[persona])


def test_status_transitions(world, draft):
    user = world.users["samordnare"]
    with pytest.raises(ValidationError):
        services.agreement_set_status(agreement=draft, status=Agreement.Status.ERSATT, acting_user=user)
    services.agreement_set_status(agreement=draft, status=Agreement.Status.GALLANDE, acting_user=user)
    services.agreement_set_status(agreement=draft, status=Agreement.Status.AVSLUTAD, acting_user=user)
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.AVSLUTAD


def test_renew_carries_over_and_happens_once(world):
    old = world.agreements["A"]["agreement"]
    user = world.users["samordnare"]
    retired = FocusArea.objects.get(agreement=old, title="KANARIE-A-INTERN fokus")
    services.focus_area_retire(
        focus_area=retired, changed_on=D(2025, 1, 10), reason="Klart", acting_user=user
    )
    new = services.agreement_renew(agreement=old, acting_user=user)
    old.refresh_from_db()
    assert old.status == Agreement.Status.ERSATT and new.predecessor == old and old.successor == new
    assert new.status == Agreement.Status.UTKAST
    assert (new.start_date, new.end_date) == (D(2027, 1, 1), D(2029, 12, 31))
    assert set(new.kommuner.values_list("kod", flat=True)) == {"2418"}
    carried = set(new.focus_areas.values_list("title", flat=True))
    assert carried == {"KANARIE-A-OPPEN fokus", "KANARIE-A-BEGRANSAD fokus"}
    assert all(a.carried_from_id for a in new.focus_areas.all())
    assert new.focus_areas.get(title="KANARIE-A-BEGRANSAD fokus").level == Level.BEGRANSAD
    assert FocusAreaChange.objects.filter(focus_area__agreement=new, kind="fort_vidare").count() == 2
    assert new.fact_sources.count() == 1
    assert world.agreements["A"]["group"].agreements.filter(pk=new.pk).exists()
    with pytest.raises(ValidationError):
        services.agreement_renew(agreement=old, acting_user=user)
    assert Agreement.objects.filter(predecessor=old).count() == 1


def test_draft_cannot_be_renewed(world, draft):
    with pytest.raises(ValidationError):
        services.agreement_renew(agreement=draft, acting_user=world.users["samordnare"])


def test_focus_area_changes_need_reason_once_in_force(world):
    agreement = world.agreements["A"]["agreement"]
    user = world.users["samordnare"]
    with pytest.raises(ValidationError) as exc:
        services.focus_area_add(agreement=agreement, title="Bedrägerier", acting_user=user)
    assert "reason" in exc.value.error_dict
    area = services.focus_area_add(
        agreement=agreement,
        title="Bedrägerier",
        changed_on=D(2025, 3, 1),
        reason="Fler bedrägerier mot äldre",
        acting_user=user,
    )
    services.focus_area_update(
        focus_area=area,
        title="Bedrägerier mot äldre",
        description="",
        changed_on=D(2025, 4, 1),
        reason="Snävare",
        acting_user=user,
    )
    history = list(area.changes.values_list("kind", "reason"))
    assert history == [("tillagt", "Fler bedrägerier mot äldre"), ("andrat", "Snävare")]
    change = area.changes.get(kind="andrat")
    assert change.before["title"] == "Bedrägerier" and change.after["title"] == "Bedrägerier mot äldre"


def test_focus_area_date_cannot_be_in_the_future(world):
    agreement = world.agreements["A"]["agreement"]
    with pytest.raises(ValidationError) as exc:
        services.focus_area_add(
            agreement=agreement,
            title="X",
            changed_on=D(2099, 1, 1),
            reason="r",
            acting_user=world.users["samordnare"],
        )
    assert "changed_on" in exc.value.error_dict


def test_retiring_an_area_retires_its_sub_priorities(world, draft):
    user = world.users["samordnare"]
    top = services.focus_area_add(agreement=draft, title="Trafik", acting_user=user)
    child = services.focus_area_add(agreement=draft, title="Buskörning", parent=top, acting_user=user)
    services.focus_area_retire(focus_area=top, reason="Löst", acting_user=user)
    child.refresh_from_db()
    assert child.status == FocusArea.Status.AVSLUTAT
    with pytest.raises(ValidationError):
        services.focus_area_add(agreement=draft, title="Djupt", parent=child, acting_user=user)


def test_focus_area_move(world, draft):
    user = world.users["samordnare"]
    first = services.focus_area_add(agreement=draft, title="Första", acting_user=user)
    second = services.focus_area_add(agreement=draft, title="Andra", acting_user=user)
    services.focus_area_move(focus_area=second, direction=-1, acting_user=user)
    assert list(draft.focus_areas.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("signed_on", "ok"),
    [(D(2026, 1, 1), True), (D(1980, 1, 1), False), (D(2099, 1, 1), False), (D(2019, 1, 1), False)],
)
def test_signature_dates(world, signed_on, ok):
    agreement = world.agreements["A"]["agreement"]
    call = lambda: services.signatory_save(  # noqa: E731
        agreement=agreement,
        name="N",
        title="T",
        organisation=world.org_a,
        signed_on=signed_on,
        acting_user=world.users["samordnare"],
    )
    if ok:
        call()
    else:
        with pytest.raises(ValidationError) as exc:
            call()
        assert "signed_on" in exc.value.error_dict


def test_outside_organisation_only_as_invited(world):
    group = world.agreements["A"]["group"]
    outsider = Organisation.objects.create(name="Skellefteå Kraft", kind="naringsliv", home_kommun_id="2482")
    user = world.users["samordnare"]
    with pytest.raises(ValidationError) as exc:
        services.group_member_save(group=group, organisation=outsider, acting_user=user)
    assert "standing" in exc.value.error_dict
    member = services.group_member_save(
        group=group,
        organisation=outsider,
        standing=GroupMember.Standing.INBJUDEN,
        person_name="Jan Ek",
        acting_user=user,
    )
    assert member.person.name == "Jan Ek" and member.display_name == "Skellefteå Kraft – Jan Ek"


def test_group_relations_cannot_cycle(world):
    user = world.users["samordnare"]
    strategic = services.group_save(
        collaboration=world.a, name="Folkhälsorådet", kind=Group.Kind.FOLKHALSORAD, acting_user=user
    )
    operative = services.group_save(
        collaboration=world.a,
        name="BRÅ",
        kind=Group.Kind.BRA,
        reports_to=strategic,
        meets_around=strategic,
        meets_around_relation=Group.Relation.FORE_OCH_EFTER,
        acting_user=user,
    )
    with pytest.raises(ValidationError) as exc:
        services.group_save(
            collaboration=world.a,
            group=strategic,
            name="Folkhälsorådet",
            kind=Group.Kind.FOLKHALSORAD,
            reports_to=operative,
            acting_user=user,
        )
    assert "reports_to" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.group_save(
            collaboration=world.a,
            name="Utan relation",
            kind=Group.Kind.ANNAN,
            meets_around=strategic,
            acting_user=user,
        )
    assert "meets_around_relation" in exc.value.error_dict


def test_promise_public_flag_sets_level(world):
    user = world.users["samordnare"]
    promise = services.promise_save(
        collaboration=world.a,
        title="Löfte",
        text="Fler kvällsvandringar",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        is_public=False,
        acting_user=user,
    )
    assert promise.level == Level.INTERN
    with pytest.raises(ValidationError):
        services.promise_save(
            collaboration=world.a,
            title="Fel",
            text="x",
            start_date=D(2025, 1, 1),
            end_date=D(2024, 1, 1),
            acting_user=user,
        )


def test_document_respects_visibility(world):
    agreement = world.agreements["A"]["agreement"]
    for persona, expect_restricted in (
        ("samordnare", True),
        ("polis", True),
        ("ledamot", False),
        ("lasare", False),
    ):
        doc = selectors.agreement_document(agreement, user=world.users[persona])
        titles = {v.area.title for v in doc.focus_areas}
        assert ("KANARIE-A-BEGRANSAD fokus" in titles) is expect_restricted, persona
        assert bool(doc.fact_sources) is expect_restricted
    public = selectors.agreement_document(agreement, public=True)
    assert {v.area.title for v in public.focus_areas} == {"KANARIE-A-OPPEN fokus"}
    assert public.promises == [] and all(not g.standing for g in public.groups)


def test_public_document_of_a_draft_is_404(world, draft):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.agreement_document(draft, public=True)


def test_year_wheel_has_meetings_sources_evaluation_and_end(world):
    agreement = world.agreements["A"]["agreement"]
    doc = selectors.agreement_document(agreement, user=world.users["samordnare"])
    months = selectors.year_wheel(doc, 2026)
    titles = [[e.title for e in m] for m in months]
    assert [i + 1 for i, m in enumerate(titles) if any("Möte" in t for t in m)] == [2, 5, 8, 11]
    assert any("Årlig utvärdering" in t for t in titles[0])
    assert any("upphör" in t for t in titles[11])
    assert any("förnyelse" in t for t in titles[9])
    assert selectors.year_wheel(doc, 2030) == [[] for _ in range(12)]


def test_meeting_months():
    assert selectors.meeting_months(4) == [2, 5, 8, 11]
    assert selectors.meeting_months(12) == list(range(1, 13))
    assert selectors.meeting_months(1) == [7]


def test_renewed_title_moves_the_years_on(world):
    old = world.agreements["A"]["agreement"]
    old.title = "Samverkansavtal 2024–2026"
    assert services.renewed_title(old, D(2027, 1, 1), D(2029, 12, 31)) == "Samverkansavtal 2027–2029"
    old.title = "Samverkansavtal"
    assert services.renewed_title(old, D(2027, 1, 1), D(2029, 12, 31)) == "Samverkansavtal 2027–2029"


def test_superseded_agreement_is_not_rewritten(world):
    old = world.agreements["A"]["agreement"]
    user = world.users["samordnare"]
    services.agreement_renew(agreement=old, acting_user=user)
    old.refresh_from_db()
    with pytest.raises(ValidationError):
        services.fact_source_save(agreement=old, kind="annan", rhythm="lopande", acting_user=user)
    with pytest.raises(ValidationError):
        services.signatory_save(
            agreement=old, name="N", title="T", organisation=world.org_a, acting_user=user
        )


def test_existing_row_keeps_its_level_when_none_is_given(world):
    group = world.agreements["A"]["group"]
    member = group.members.get()
    assert member.level == Level.INTERN
    services.group_member_save(
        group=group, member=member, representing="Ny text", acting_user=world.users["samordnare"]
    )
    member.refresh_from_db()
    assert member.level == Level.INTERN


def test_year_wheel_does_not_name_a_group_the_reader_cannot_see(world):
    user = world.users["samordnare"]
    agreement = world.agreements["A"]["agreement"]
    hidden = services.group_save(
        collaboration=world.a,
        name="HEMLIG-GRUPP",
        kind=Group.Kind.ANNAN,
        level=Level.BEGRANSAD,
        restricted_to=["samordnare", "polis"],
        agreements=[agreement],
        acting_user=user,
    )
    services.group_save(
        collaboration=world.a,
        name="Öppen grupp",
        kind=Group.Kind.BRA,
        meetings_per_year=4,
        meets_around=hidden,
        meets_around_relation=Group.Relation.FORE,
        agreements=[agreement],
        acting_user=user,
    )
    doc = selectors.agreement_document(agreement, user=world.users["ledamot"])
    texts = " ".join(e.title + e.detail for month in selectors.year_wheel(doc, 2026) for e in month)
    assert "Öppen grupp" in texts and "HEMLIG" not in texts


def test_personal_data_is_refused_in_open_agreement_text(world, draft):
    user = world.users["samordnare"]
    with pytest.raises(ValidationError) as exc:
        services.agreement_update(agreement=draft, purpose="Kontakt: 070-123 45 67", acting_user=user)
    assert "purpose" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.focus_area_add(
            agreement=draft, title="Fokus", description="Mejla eva@example.org", acting_user=user
        )
    assert "description" in exc.value.error_dict
    # Internal rows may carry what the group needs (the forms ask the writer to confirm).
    area = services.focus_area_add(
        agreement=draft,
        title="Fokus",
        description="Mejla eva@example.org",
        level=Level.INTERN,
        acting_user=user,
    )
    assert area.pk


PUBLISHED_TEXT = [
    (Agreement, "title"),
    (Agreement, "purpose"),
    (Agreement, "effects_sought"),
    (Agreement, "communication_plan"),
    (Agreement, "followup_rhythm"),
    (Agreement, "followup_reporting"),
    (Agreement, "signed_place"),
    (FocusArea, "title"),
    (FocusArea, "description"),
    (FactSource, "description"),
    (Signatory, "name"),
    (Signatory, "title"),
    (Signatory, "organisation_name"),
    (Group, "name"),
    (Group, "purpose"),
    (Group, "rhythm_note"),
    (Group, "place"),
    (GroupMember, "representing"),
    (GroupMember, "person_name"),
    (CitizenPromise, "title"),
    (CitizenPromise, "text"),
    (PromiseActivity, "description"),
]


def _with_text(model, level, name, text):  # type: ignore[no-untyped-def]
    if name == "person_name":  # the linked person's name, published beside the organisation
        return model(level=level, person=Person(name=text))
    return model(level=level, **{name: text})


@pytest.mark.parametrize(("model", "name"), PUBLISHED_TEXT)
def test_the_writing_kit_refuses_personal_data_in_every_published_text(model, name):
    guard_public_text(
        _with_text(model, Level.INTERN, name, "Ring 070-123 45 67")
    )  # intern: the writer decides
    with pytest.raises(ValidationError) as exc:
        guard_public_text(_with_text(model, Level.OPPEN, name, "Ring 070-123 45 67"))
    assert name in exc.value.error_dict
    published = {(m, n) for m in {m for m, _ in PUBLISHED_TEXT} for n in m.public_text_fields}
    assert published == set(PUBLISHED_TEXT)
