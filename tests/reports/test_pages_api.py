"""The evaluation's pages and API as the personas, the public pages, and the report-back between groups."""

from __future__ import annotations

import datetime as dt

from samverkan.core.models import Level
from samverkan.core.services import api_token_create
from samverkan.meetings.models import AgendaItem, Meeting
from samverkan.reports.models import EvaluationVersion
from samverkan.reports.services.evaluation import evaluation_create
from tests.conftest import CANARIES_A
from tests.reports.test_evaluation import docx_text
from tests.situation.test_exports_picture import pdf_text, xlsx_text

PERSONNUMMER = "19121212-1212"


def _api(world, persona):
    _token, raw = api_token_create(user=world.users[persona], name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_samordnare_drafts_approves_and_versions_on_the_pages(world):
    client = world.client("samordnare")
    base = f"/samverkan/{world.a.pk}/utvardering/"
    assert client.post(base, {"year": "2019"}).status_code == 422  # no agreement in 2019
    response = client.post(base, {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == f"{base}2026/"
    page = client.get(f"{base}2026/")
    assert page.status_code == 200 and CANARIES_A[Level.BEGRANSAD] in page.content.decode()
    version = EvaluationVersion.objects.get(evaluation__collaboration=world.a)
    form = {
        "action": "save",
        "version": version.version,
        "summary": f"Kontakt {PERSONNUMMER}",
        "summary_level": "oppen",
        "assessment": "",
        "assessment_level": "intern",
        "proposals": "",
        "proposals_level": "intern",
    }
    assert client.post(f"{base}2026/", form).status_code == 422
    form["summary"] = "Ett lugnare år"
    assert client.post(f"{base}2026/", form).status_code == 302
    stale = client.post(f"{base}2026/", {**form, "summary": "Något annat"})
    assert stale.status_code == 409 and "Ett lugnare år" in stale.content.decode()
    assert client.post(f"{base}2026/", {"action": "approve", "decision": "§ 4/2026"}).status_code == 302
    assert client.post(f"{base}2026/", {"action": "approve"}).status_code == 422  # approving twice
    assert client.post(f"{base}2026/", form).status_code == 422  # editing the approved version
    assert client.post(f"{base}2026/", {"action": "new_version"}).status_code == 302
    assert list(version.evaluation.versions.values_list("number", "status")) == [
        (2, "utkast"),
        (1, "godkand"),
    ]
    version.refresh_from_db()
    assert version.summary == "Ett lugnare år"
    for kind, read in (("pdf", pdf_text), ("docx", docx_text), ("xlsx", xlsx_text)):
        response = client.get(f"{base}2026/version/1/{kind}/?oppen=1")
        assert response.status_code == 200, kind
        text = read(response.content)
        assert CANARIES_A[Level.OPPEN] in text and CANARIES_A[Level.INTERN] not in text, kind
    ledamot = world.client("ledamot").get(f"{base}2026/").content.decode()
    assert CANARIES_A[Level.INTERN] in ledamot and CANARIES_A[Level.BEGRANSAD] not in ledamot
    assert world.client("ledamot").post(f"{base}2026/", {"action": "new_version"}).status_code == 403
    assert world.client("outsider").get(f"{base}2026/").status_code == 404
    assert world.client("outsider").get(f"/samverkan/{world.b.pk}/utvardering/2026/").status_code == 404


def test_the_api_reads_writes_and_refuses(world, client):
    headers = _api(world, "samordnare")
    created = client.post(
        "/api/v1/evaluations",
        {"collaboration": world.a.pk, "year": 2026},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    url = f"/api/v1/evaluations/{body['id']}"
    assert client.post(
        "/api/v1/evaluations",
        {"collaboration": world.a.pk, "year": 2019},
        content_type="application/json",
        **headers,
    ).json()["detail"][0]["loc"] == ["body", "year"]
    bad = client.patch(
        url, {"summary": PERSONNUMMER, "summary_level": "oppen"}, content_type="application/json", **headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "summary"]
    patched = client.patch(
        url,
        {"summary": "Året", "summary_level": "oppen", "version": 1},
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 200 and patched.json()["sections"][0]["text"] == "Året"
    stale = client.patch(url, {"summary": "Annat", "version": 1}, content_type="application/json", **headers)
    assert stale.status_code == 409
    assert client.post(f"{url}/approve", {}, content_type="application/json", **headers).status_code == 200
    assert client.post(f"{url}/approve", {}, content_type="application/json", **headers).status_code == 422
    assert (
        client.patch(url, {"summary": "Tyst"}, content_type="application/json", **headers).status_code == 422
    )
    for kind, read in (("pdf", pdf_text), ("docx", docx_text), ("xlsx", xlsx_text)):
        response = client.get(f"{url}.{kind}?oppen=true", **headers)
        assert response.status_code == 200, kind
        assert CANARIES_A[Level.BEGRANSAD] not in read(response.content)
    ledamot = _api(world, "ledamot")
    assert client.get(url, **ledamot).status_code == 200
    assert CANARIES_A[Level.BEGRANSAD] not in client.get(url, **ledamot).content.decode()
    assert client.post(f"{url}/new-version", **ledamot).status_code == 403
    outsider = _api(world, "outsider")
    assert client.get(url, **outsider).status_code == 404
    assert client.get(f"{url}.pdf", **outsider).status_code == 404
    assert client.get(f"/api/v1/evaluations?collaboration={world.a.pk}", **outsider).json()["count"] == 0


def test_public_pages_show_only_released_versions_and_only_open_content(world, client, samordnare2):
    from samverkan.reports.services.evaluation import public_release, sections_save, version_approve

    version = evaluation_create(collaboration=world.a, year=2026, acting_user=world.users["samordnare"])
    base = f"/offentlig/samverkan/{world.a.pk}/utvardering/"
    assert client.get(f"{base}2026/").status_code == 404
    version = sections_save(
        version=version,
        acting_user=world.users["samordnare"],
        summary="Offentlig sammanfattning",
        summary_level=Level.OPPEN,
        assessment=f"{CANARIES_A[Level.INTERN]} bedömning",
    )
    version = version_approve(version=version, acting_user=world.users["samordnare"])
    public_release(version=version, acting_user=samordnare2)
    listing = client.get(base).content.decode()
    assert "Årlig utvärdering 2026" in listing
    for path, read in (("", None), ("pdf/", pdf_text), ("docx/", docx_text), ("xlsx/", xlsx_text)):
        response = client.get(f"{base}2026/{path}")
        assert response.status_code == 200, path
        text = read(response.content) if read else response.content.decode()
        assert CANARIES_A[Level.OPPEN] in text, path
        assert CANARIES_A[Level.INTERN] not in text and CANARIES_A[Level.BEGRANSAD] not in text, path
    assert client.get(f"{base}2025/").status_code == 404
    assert client.get(f"/offentlig/samverkan/{world.b.pk}/utvardering/2026/").status_code == 404


def test_report_back_is_carried_into_the_linked_strategic_meeting(world):
    rows = world.cycle["A"]["meeting"]
    operative = rows["meeting"]
    start = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)
    strategic = Meeting.objects.create(
        collaboration=world.a, group=operative.group, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    Meeting.objects.filter(pk=operative.pk).update(linked_meeting=strategic, status=Meeting.Status.GENOMFORT)
    client = world.client("samordnare")
    base = f"/samverkan/{world.a.pk}/utvardering/aterrapport/{operative.pk}/"
    page = client.get(base)
    assert page.status_code == 200 and CANARIES_A[Level.BEGRANSAD] in page.content.decode()
    ledamot = world.client("ledamot").get(base).content.decode()
    assert CANARIES_A[Level.INTERN] in ledamot and CANARIES_A[Level.BEGRANSAD] not in ledamot
    assert world.client("ledamot").post(base + "for-vidare/").status_code == 403
    pdf = client.get(base + "pdf/")
    assert pdf.status_code == 200 and "Återrapport" in pdf_text(pdf.content)
    assert client.post(base + "for-vidare/").status_code == 302
    [carried] = AgendaItem.objects.filter(meeting=strategic)
    assert carried.level == Level.INTERN
    assert (
        CANARIES_A[Level.INTERN] in carried.prepared_text and CANARIES_A[Level.OPPEN] in carried.prepared_text
    )
    assert CANARIES_A[Level.BEGRANSAD] not in carried.prepared_text
    client.post(base + "for-vidare/")
    assert AgendaItem.objects.filter(meeting=strategic).count() == 1  # carried once
    assert world.client("outsider").get(base).status_code == 404
