"""A ledamot reports on a phone: opens the round, fills the report, sees the draft saved without pressing save,
and submits. Every page goes through the `ui` fixture, so axe-core checks each one."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Answer, Report, Round
from samverkan.situation.selectors.rounds import round_title
from samverkan.situation.services.rounds import round_create
from tests.e2e.test_accessibility import assert_reflows

pytestmark = pytest.mark.e2e


def test_ledamot_reports_on_a_phone(ui, world):
    template = ensure_default_template()
    round_ = round_create(
        collaboration=world.a,
        template=template,
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        acting_user=world.users["samordnare"],
    )
    page = ui.page
    page.set_viewport_size({"width": 375, "height": 740})
    ui.login(world.users["ledamot"])

    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/omgangar/")
    assert_reflows(ui)
    expect(ui.main).to_contain_text("0 av 1 har skickat in")
    with translation.override("sv"):
        title = round_title(round_)
    ui.click_link(title[0].upper() + title[1:], within=ui.main)
    expect(ui.main.get_by_text("Ej påbörjad")).to_be_visible()
    assert_reflows(ui)
    ui.press_button("Rapportera för Malå kommun – test")
    expect(page.locator("h1")).to_have_text("Rapport för Malå kommun – test")
    assert_reflows(ui)

    status = page.locator("#autosave-status")
    first = page.get_by_role("group", name="Ordningsstörningar och otrygghet")
    first.get_by_role("group", name="Hur är läget?").get_by_label("Gul").check()
    # Saved as you go: the status appears without pressing any button.
    expect(status).to_contain_text("Utkast sparat")
    first.get_by_role("textbox", name="Vad har stört ordningen").fill(
        "Klotter och skadegörelse vid skolan på helgerna."
    )
    first.get_by_label("Var? Ange platser i kommunen.", exact=True).fill("Torget A")
    for section in template.sections.all():
        group = page.get_by_role("group", name=section.title)
        if section.order > 1:
            group.get_by_role("group", name="Hur är läget?").get_by_label("Grön").check()
        group.get_by_role("group", name="Hur har det utvecklats", exact=False).get_by_label(
            "Oförändrat"
        ).check()
    expect(status).to_contain_text("Utkast sparat")
    ui.check()  # the page after the live update

    report = Report.objects.get(round=round_, organisation=world.org_a)
    ui.press_button("Skicka in")
    expect(page.get_by_role("status").first).to_contain_text("Rapporten är inskickad")
    assert_reflows(ui)
    report.refresh_from_db()
    assert report.status == Report.Status.INSKICKAD
    texts = list(Answer.objects.filter(report=report).exclude(text="").values_list("text", flat=True))
    assert texts == ["Klotter och skadegörelse vid skolan på helgerna."]
    assert Answer.objects.get(report=report, places__isnull=False, question__kind="places").places == [
        {"name": "Torget A"}
    ]

    # The samordnare's pages for the same round pass axe too (completeness, schedule, templates).
    ui.press_button("Logga ut")
    ui.login(world.users["samordnare"])
    a = world.a.pk
    ui.goto(f"/samverkan/{a}/lagesbild/omgangar/{round_.pk}/")
    expect(ui.main.get_by_role("table")).to_contain_text("Inskickad")
    assert_reflows(ui)
    for path in (
        "omgangar/ny/",
        "schema/",
        "mallar/",
        f"mallar/{template.pk}/",
        f"mallar/{template.pk}/revidera/",
    ):
        ui.goto(f"/samverkan/{a}/lagesbild/{path}")
    ui.goto(f"/samverkan/{a}/lagesbild/omgangar/{round_.pk}/rapporter/{report.pk}/")
    expect(ui.main).to_contain_text("Klotter och skadegörelse")


def test_an_autosave_conflict_shows_both_texts_beside_the_answer(ui, world, samordnare2):
    """Someone else saves an answer while the page is open: the autosave puts both texts beside that
    answer (and saves the rest); "Spara utkast", once both are seen, saves the writer's own text."""
    from samverkan.situation.models import Question
    from samverkan.situation.services.rounds import report_get_or_create, report_save

    template = ensure_default_template()
    round_ = round_create(
        collaboration=world.a,
        template=template,
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        acting_user=world.users["samordnare"],
    )
    report = report_get_or_create(
        round_=round_, organisation=world.org_a, acting_user=world.users["samordnare"]
    )
    section = template.sections.get(order=1)
    text_q = section.questions.get(kind=Question.Kind.TEXT)
    page = ui.page
    ui.login(world.users["samordnare"])
    ui.goto(f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/rapporter/{report.pk}/andra/")

    # Meanwhile the other samordnare writes the first answer to the same question.
    report_save(report=report, answers={text_q.pk: {"text": "Annas svar"}}, acting_user=samordnare2)

    first = page.get_by_role("group", name=section.title)
    first.get_by_role("group", name="Hur är läget?").get_by_label("Gul").check()
    first.get_by_role("textbox", name=text_q.text).fill("Bertils svar")
    conflict = page.locator(f"#konflikt-q{text_q.pk} .conflict")
    expect(conflict).to_contain_text("Annas svar")
    expect(conflict).to_contain_text("Bertils svar")
    expect(page.locator("#autosave-status")).to_contain_text("Övriga svar är sparade")
    ui.check()  # the conflict shown in place passes axe
    answer = Answer.objects.get(report=report, question=text_q)
    assert answer.text == "Annas svar"
    assert (
        Answer.objects.get(report=report, question__section=section, question__kind="status").status == "gul"
    )

    ui.press_button("Spara utkast")
    expect(page.get_by_role("status").first).to_contain_text("Utkastet är sparat")
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Bertils svar", 2)


def test_a_refused_answer_is_marked_at_once_and_the_others_are_kept(ui, world):
    """Issue 11 item 2: a personnummer in one öppen answer used to stop autosave for the whole form, so
    text typed into other answers was lost on reload. Now that one answer is marked in place, at once,
    and the others are saved; a phone number in an intern answer asks for its own tick box beside it."""
    from samverkan.situation.models import Question
    from samverkan.situation.services.rounds import report_get_or_create

    template = ensure_default_template()
    round_ = round_create(
        collaboration=world.a,
        template=template,
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        acting_user=world.users["samordnare"],
    )
    report = report_get_or_create(round_=round_, organisation=world.org_a, acting_user=world.users["ledamot"])
    first, second, third = (
        Question.objects.get(section__template=template, section__area_code=code, kind=Question.Kind.TEXT)
        for code in ("ordning", "vald", "unga")
    )
    page = ui.page
    ui.login(world.users["ledamot"])
    path = f"/samverkan/{world.a.pk}/lagesbild/omgangar/{round_.pk}/rapporter/{report.pk}/andra/"
    ui.goto(path)
    status = page.locator("#autosave-status")

    page.locator(f"#id_q{first.pk}_level").select_option("oppen")
    expect(status).to_contain_text("Utkast sparat")
    page.locator(f"#id_q{first.pk}").fill("Gäller 19121212-1212")
    page.locator(f"#id_q{second.pk}").fill("Klotter vid skolan på helgerna.")
    # Marked at once, in place: the status line (read out) names it, the field is invalid and described.
    expect(status).to_contain_text("Övriga svar är sparade, men inte")
    refused = page.locator(f"#id_q{first.pk}")
    expect(refused).to_have_attribute("aria-invalid", "true")
    expect(refused).to_have_attribute("aria-describedby", f"id_q{first.pk}_helptext id_q{first.pk}_error")
    expect(page.locator(f"#id_q{first.pk}_error")).to_contain_text("19121212-****")
    expect(page.locator(f"#id_q{second.pk}")).not_to_have_attribute("aria-invalid", "true")
    ui.check()  # the page after the live update passes axe

    # A phone number in an intern answer: its own tick box appears beside it; ticking it saves the answer.
    box = page.locator(f"#id_q{third.pk}_ack")
    expect(box).to_be_hidden()
    page.locator(f"#id_q{third.pk}").fill("Ring fältassistenten på 070-123 45 67.")
    expect(box).to_be_visible()
    box.check()
    expect(page.locator(f"#fel-q{third.pk}")).to_be_empty()
    expect(page.locator(f"#id_q{third.pk}")).not_to_have_attribute("aria-invalid", "true")
    ui.check()

    ui.goto(path)  # reload: the other answers were kept, the refused one was not saved
    expect(page.locator(f"#id_q{second.pk}")).to_have_value("Klotter vid skolan på helgerna.")
    expect(page.locator(f"#id_q{third.pk}")).to_have_value("Ring fältassistenten på 070-123 45 67.")
    expect(page.locator(f"#id_q{first.pk}")).to_have_value("")
    assert not Answer.objects.filter(report=report, question=first).exists()
