"""The issue's "done when", in the browser: three actors report, the police adds begränsad intelligence, the
samordnare watches the joint picture fill in live and agrees it at a meeting, and a ledamot reads the agreed
version, its PDF and its XLSX without the begränsad parts. Every page goes through axe (the `ui` fixture)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from samverkan.core.models import Membership, Role
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Answer, PictureVersion, Question, Report, Round
from samverkan.situation.services.rounds import (
    report_get_or_create,
    report_save,
    report_submit,
    round_create,
)
from tests.conftest import TOTP_SECRET
from tests.factories import MembershipFactory, OrganisationFactory, ParticipationFactory, UserFactory

pytestmark = pytest.mark.e2e

POLICE_TEXT = "Underrättelse: ny försäljning av narkotika vid busstationen kvällstid."
SCHOOL_TEXT = "Lugnt på skolan, men oro bland eleverna efter helgens bråk."
KOMMUN_TEXT = "Skadegörelse på lekplatsen två helger i rad."


def _report_in_browser(ui, round_, organisation_name: str, area: str, status: str, text: str) -> None:
    page = ui.page
    ui.goto(f"/samverkan/{round_.collaboration_id}/lagesbild/omgangar/{round_.pk}/")
    ui.press_button(f"Rapportera för {organisation_name}")
    expect(page.locator("h1")).to_have_text(f"Rapport för {organisation_name}")
    template = round_.template
    for section in template.sections.all():
        group = page.get_by_role("group", name=section.title)
        chosen = status if section.title == area else "Grön"
        group.get_by_role("group", name="Hur är läget?").get_by_label(chosen).check()
        group.get_by_role("group", name="Hur har det utvecklats", exact=False).get_by_label(
            "Ökar" if section.title == area else "Oförändrat"
        ).check()
    group = page.get_by_role("group", name=area)
    text_question = template.sections.get(title=area).questions.get(kind=Question.Kind.TEXT)
    group.get_by_role("textbox", name=text_question.text[:30]).fill(text)
    expect(page.locator("#autosave-status")).to_contain_text("Utkast sparat")
    ui.press_button("Skicka in")
    expect(page.get_by_role("status").first).to_contain_text("Rapporten är inskickad")


def test_three_actors_report_and_the_group_agrees_the_joint_picture(ui, world, tmp_path: Path):
    a = world.a
    template = ensure_default_template()
    school = OrganisationFactory(name="Malå skola – test", home_kommun_id="2418")
    police = OrganisationFactory(name="Polisen LPO Skellefteå – test", home_kommun_id="2418")
    for organisation in (school, police):
        ParticipationFactory(collaboration=a, organisation=organisation)
    Membership.objects.filter(user=world.users["polis"], collaboration=a).update(organisation=police)
    rektor = UserFactory(username="rektor", email="rektor@example.org")
    MembershipFactory(user=rektor, collaboration=a, role=Role.LEDAMOT, organisation=school)
    round_ = round_create(
        collaboration=a,
        template=template,
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        organisations=[world.org_a, school, police],
        acting_user=world.users["samordnare"],
    )
    picture_path = f"/samverkan/{a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/"
    page = ui.page

    # 1. The kommun's ledamot reports on the form.
    ui.login(world.users["ledamot"])
    _report_in_browser(ui, round_, world.org_a.name, "Ordningsstörningar och otrygghet", "Gul", KOMMUN_TEXT)
    ui.press_button("Logga ut")

    # 2. The police report; their answers start as begränsad.
    ui.submit_login(world.users["polis"].email)
    ui.enter_totp(TOTP_SECRET)
    ui.goto(f"/samverkan/{a.pk}/lagesbild/omgangar/{round_.pk}/")
    ui.press_button(f"Rapportera för {police.name}")
    level = page.get_by_label("Sekretessnivå för svaret", exact=False).first
    expect(level).to_have_value("begransad")
    ui.goto(f"/samverkan/{a.pk}/lagesbild/omgangar/{round_.pk}/")
    _report_in_browser(
        ui, round_, police.name, "Alkohol, narkotika, dopning och tobak", "Orange", POLICE_TEXT
    )
    police_answer = Answer.objects.get(report__organisation=police, text=POLICE_TEXT)
    assert police_answer.level == "begransad"
    ui.press_button("Logga ut")

    # 3. The samordnare watches the picture; the school reports meanwhile and the matrix fills in by itself.
    page.clock.install()
    ui.login(world.users["samordnare"])
    ui.goto(picture_path)
    matrix = page.locator("#picture-matrix")
    expect(matrix).to_contain_text("2 av 3 tillfrågade aktörer har skickat in")
    expect(ui.main).to_contain_text(POLICE_TEXT)  # the samordnare is entitled to begränsad
    report = report_get_or_create(round_=round_, organisation=school, acting_user=rektor)
    answers = {}
    for question in Question.objects.filter(section__template=template, required=True):
        answers[question.pk] = {"status": "gul"} if question.kind == "status" else {"trend": "okar"}
    school_text_q = Question.objects.get(
        section__template=template, section__area_code="unga", kind=Question.Kind.TEXT
    )
    answers[school_text_q.pk] = {"text": SCHOOL_TEXT}
    report_save(report=report, answers=answers, acting_user=rektor)
    report_submit(report=report, acting_user=rektor)
    page.clock.run_for(31_000)
    expect(matrix).to_contain_text("3 av 3 tillfrågade aktörer har skickat in")
    expect(matrix).to_contain_text(school.name)
    ui.check()  # the refreshed matrix passes axe too

    area = page.get_by_role("region", name="Alkohol, narkotika, dopning och tobak")
    area.get_by_text("Skriv en sammanfattning").click()
    summary = page.get_by_label("Sammanfattning: Alkohol, narkotika, dopning och tobak")
    summary.fill("Polisen och kommunen ser fler tecken på narkotikaförsäljning i centrum.")
    ui.navigate(lambda: area.get_by_role("button", name="Spara sammanfattningen").click())
    expect(ui.main).to_contain_text("fler tecken på narkotikaförsäljning")
    page.locator("#id_meeting").fill("REK-gruppen")
    page.get_by_label("Mötesdatum").fill(dt.date.today().isoformat())
    ui.press_button("Granska och fastställ")
    expect(ui.main).to_contain_text("Alla 3 tillfrågade aktörer har skickat in sin rapport.")
    ui.press_button("Fastställ lägesbilden")
    version = PictureVersion.objects.get(picture__round=round_)
    assert version.number == 1
    expect(ui.main).to_contain_text("Version 1")
    # The audit log right after agreeing (issue 11 item 1: it answered 500): it answers, names the parts
    # agreed by label, and passes axe (ui.goto checks every page).
    ui.goto(f"/samverkan/{world.a.pk}/logg/")
    expect(ui.main).to_contain_text("Antal delar")
    expect(ui.main).not_to_contain_text("submitted_at")
    ui.press_button("Logga ut")

    # 4. The ledamot reads the agreed version: everything but the police's begränsad answer.
    ui.login(world.users["ledamot"])
    ui.goto(picture_path)
    ui.click_link("Version 1", within=ui.main)
    expect(ui.main).to_contain_text(KOMMUN_TEXT)
    expect(ui.main).to_contain_text(SCHOOL_TEXT)
    expect(ui.main).to_contain_text("fler tecken på narkotikaförsäljning")
    expect(ui.main).not_to_contain_text(POLICE_TEXT)

    with page.expect_download() as download:
        ui.main.get_by_role("link", name="Ladda ner Excel").click()
    xlsx = tmp_path / "lagesbild.xlsx"
    download.value.save_as(xlsx)
    cells = [
        str(value)
        for sheet in load_workbook(xlsx).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any(KOMMUN_TEXT in value for value in cells)
    assert not any(POLICE_TEXT in value for value in cells)

    if shutil.which("pdftotext"):
        with page.expect_download() as download:
            ui.main.get_by_role("link", name="Ladda ner PDF").click()
        pdf = tmp_path / "lagesbild.pdf"
        download.value.save_as(pdf)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Skadegörelse på lekplatsen" in " ".join(text.split())
        assert "Underrättelse" not in text
    assert Report.objects.filter(round=round_, status=Report.Status.INSKICKAD).count() == 3


def test_the_joint_picture_in_english(ui, world):
    """A member switches to English as a user does and reads the picture: the shipped areas, questions,
    event categories and statistics in English, the members' own text as written (axe on every page)."""
    from samverkan.core.areas import SIX_AREAS
    from samverkan.situation.defaults import EVENT_CATEGORIES

    a = world.a
    round_ = world.situation["A"]["round"]
    version = world.situation["A"]["version"]
    picture_path = f"/samverkan/{a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/"
    shipped_swedish = [title for _code, title, _question in SIX_AREAS] + [
        name for name, _a in EVENT_CATEGORIES
    ]

    ui.login(world.users["samordnare"])
    ui.goto(picture_path)
    expect(ui.page.locator("#picture-matrix")).to_contain_text("Hot och våld")
    ui.press_button("English")
    assert ui.path == picture_path
    assert ui.page.locator("html").get_attribute("lang") == "en"
    page = ui.page
    expect(page.locator("#picture-matrix")).to_contain_text("Threats and violence")
    expect(page.get_by_role("region", name="Young people and schools")).to_be_visible()
    expect(ui.main).to_contain_text("KANARIE-A-OPPEN")  # the members' own text as written
    text = ui.main.inner_text()
    assert [s for s in shipped_swedish if s in text] == []

    # The agreed version, read from its frozen items, in English too.
    ui.goto(f"/samverkan/{a.pk}/lagesbild/omgangar/{round_.pk}/lagesbild/versioner/{version.pk}/")
    expect(ui.main).to_contain_text("Threats and violence")
    text = ui.main.inner_text()
    assert [s for s in shipped_swedish if s in text] == []

    # The shipped template and the statistics page.
    ui.goto(f"/samverkan/{a.pk}/lagesbild/mallar/{round_.template_id}/")
    expect(page.locator("h1")).to_have_text("Monthly situation picture – six areas")
    expect(ui.main).to_contain_text("What is the situation?")
    ui.goto(f"/samverkan/{a.pk}/statistik/")
    assert page.locator("html").get_attribute("lang") == "en"
