"""The import pages: the data steward's police events and tables (preview → confirm → report), the
samordnare's own series, and what each persona may reach."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.indicators.models import DataPoint, ImportRun, Indicator, PoliceEvent
from tests.factories import UserFactory
from tests.indicators.factories import ImportRunFactory, police_jsonl

IMPORTS = "/statistik/importer/"

BRA_CSV = (
    "regionkod;geografi;ar;variabel;enhet;varde\n"
    "2418;Malå;2023;Skadegörelsebrott;Antal;41,0\n"
    "2418;Malå;2024;Skadegörelsebrott;Antal;37,0\n"
    "24;Västerbottens län;2024;Skadegörelsebrott;Antal;2417,0\n"
).encode()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def steward(db):
    return UserFactory(username="forvaltare", is_superuser=True, is_staff=True)


def client_for(client, user):
    client.force_login(user)
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def hidden(body: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', body)
    assert match, f"no hidden {name}"
    return match.group(1)


def preview(client, data=BRA_CSV, name="bra.csv", fmt="bra"):
    response = client.post(IMPORTS + "tabell/", {"format": fmt, "file": upload(name, data)})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def confirm_post(body: str, **extra) -> dict[str, str]:
    """The preview form as the browser would send it: hidden fields and the prefilled selects."""
    data = {name: hidden(body, name) for name in ("sha256", "file_name", "format")}
    for select, chosen in re.findall(
        r'<select name="(map_\w+)"[^>]*>.*?<option value="([^"]*)"[^>]*selected', body, re.S
    ):
        data[select] = chosen
    data.update(extra)
    return data


# --- who may reach the pages -------------------------------------------------------------------------


def test_steward_sees_the_import_list(client, steward):
    ImportRunFactory(file_name="tidigare.csv")
    response = client_for(client, steward).get(IMPORTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidigare.csv" in body and "Importera händelser" in body and "Brå, anmälda brott" in body


def test_staff_with_the_import_permission_is_a_steward(client, db):
    user = UserFactory(username="personal", is_staff=True)
    assert client_for(client, user).get(IMPORTS).status_code == 404
    user.user_permissions.add(Permission.objects.get(codename="add_importrun"))
    assert client.get(IMPORTS).status_code == 200


@pytest.mark.parametrize("persona", ["samordnare", "polis", "ledamot", "lasare", "outsider"])
def test_members_get_404_on_the_national_imports(world, persona):
    run = ImportRunFactory()
    client = world.client(persona)
    assert client.get(IMPORTS).status_code == 404
    assert client.get(f"{IMPORTS}{run.pk}/").status_code == 404
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("h.jsonl", police_jsonl(1))})
    assert response.status_code == 404
    assert (
        client.post(IMPORTS + "tabell/", {"format": "bra", "file": upload("b.csv", BRA_CSV)}).status_code
        == 404
    )
    assert not PoliceEvent.objects.exists()


def test_anonymous_must_log_in(client, db):
    response = client.get(IMPORTS)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


# --- police events --------------------------------------------------------------------------------------


def test_police_events_upload_imports_and_shows_the_report(client, steward):
    client_for(client, steward)
    response = client.post(
        IMPORTS + "polisens-handelser/", {"file": upload("handelser.jsonl", police_jsonl(1, 2))}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{IMPORTS}{run.pk}/"
    assert PoliceEvent.objects.count() == 2 and run.by_user == steward
    body = client.get(response["Location"]).content.decode()
    assert "handelser.jsonl" in body and run.sha256 in body and "Polisens händelser" in body
    assert re.search(r'<td class="num">2</td>', body)  # lines and imported


def test_police_duplicate_asks_and_force_imports_again(client, steward):
    client_for(client, steward)
    client.post(IMPORTS + "polisens-handelser/", {"file": upload("a.jsonl", police_jsonl(1))})
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("a.jsonl", police_jsonl(1))})
    assert response.status_code == 409
    body = response.content.decode()
    assert "redan importerats" in body and 'name="force"' in body
    assert ImportRun.objects.count() == 1
    response = client.post(
        IMPORTS + "polisens-handelser/", {"file": upload("a.jsonl", police_jsonl(1)), "force": "on"}
    )
    assert response.status_code == 302 and ImportRun.objects.count() == 2


def test_police_file_that_is_not_json_is_400_and_writes_nothing(client, steward):
    client_for(client, steward)
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("trasig.json", b'[{"id": 1,')})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not ImportRun.objects.exists() and not PoliceEvent.objects.exists()


def test_an_empty_upload_is_refused(client, steward):
    client_for(client, steward)
    response = client.post(IMPORTS + "polisens-handelser/", {"file": upload("tom.jsonl", b"")})
    assert response.status_code == 400


# --- tables: preview, confirm, report ----------------------------------------------------------------


def test_table_preview_shows_rows_delimiter_and_suggested_mapping(client, steward, settings):
    response = preview(client_for(client, steward))
    body = response.content.decode()
    assert "semikolon" in body and "utf-8" in body.lower()
    assert "Skadegörelsebrott" in body and "41,0" in body
    assert re.search(r'<select name="map_regionkod".*?<option value="regionkod" selected', body, re.S)
    sha256 = hidden(body, "sha256")
    assert sha256 == hashlib.sha256(BRA_CSV).hexdigest()
    assert (settings.VAR_DIR / "uploads" / sha256).read_bytes() == BRA_CSV
    assert not ImportRun.objects.exists()  # nothing imported before the confirmation


def test_table_confirm_imports_and_redirects_to_the_report(client, steward, settings):
    body = preview(client_for(client, steward)).content.decode()
    response = client.post(IMPORTS + "tabell/bekrafta/", confirm_post(body))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{IMPORTS}{run.pk}/"
    indicator = Indicator.objects.get(code="bra.skadegorelsebrott")
    values = dict(
        DataPoint.objects.filter(indicator=indicator, kommun_id="2418").values_list(
            "period_start__year", "value"
        )
    )
    assert values == {2023: Decimal("41"), 2024: Decimal("37")}
    assert not (settings.VAR_DIR / "uploads" / run.sha256).exists()  # the stored upload is gone
    report = client.get(response["Location"]).content.decode()
    assert "bra.csv" in report and "regionkod" in report  # the mapping used


def test_row_errors_reshow_the_preview_with_line_numbers_and_422(client, steward):
    bad = (
        BRA_CSV
        + "2418;Malå;20x4;Skadegörelsebrott;Antal;3\n9999;Okänd;2024;Skadegörelsebrott;Antal;3\n".encode()
    )
    body = preview(client_for(client, steward), data=bad).content.decode()
    response = client.post(IMPORTS + "tabell/bekrafta/", confirm_post(body))
    assert response.status_code == 422
    text = response.content.decode()
    assert 'role="alert"' in text and "Filen importerades inte" in text
    assert re.search(r"<td>5</td><td>ar</td>", text) and re.search(r"<td>6</td><td>regionkod</td>", text)
    assert not ImportRun.objects.exists() and not DataPoint.objects.exists()
    assert "<select" in text  # the mapping can be corrected on the same page


def test_a_missing_required_column_is_422(client, steward):
    body = preview(client_for(client, steward)).content.decode()
    data = confirm_post(body)
    data["map_varde"] = ""
    response = client.post(IMPORTS + "tabell/bekrafta/", data)
    assert response.status_code == 422 and not ImportRun.objects.exists()


def test_table_duplicate_offers_force(client, steward):
    client_for(client, steward)
    body = preview(client).content.decode()
    client.post(IMPORTS + "tabell/bekrafta/", confirm_post(body))
    body = preview(client).content.decode()
    response = client.post(IMPORTS + "tabell/bekrafta/", confirm_post(body))
    assert response.status_code == 409
    assert "Importera ändå" in response.content.decode() and ImportRun.objects.count() == 1
    response = client.post(IMPORTS + "tabell/bekrafta/", confirm_post(body, force="on"))
    assert response.status_code == 302 and ImportRun.objects.count() == 2


@pytest.mark.parametrize("sha256", ["../../etc/passwd", "A" * 64, "0" * 64])
def test_a_bad_or_unknown_upload_hash_is_400(client, steward, sha256):
    response = client_for(client, steward).post(
        IMPORTS + "tabell/bekrafta/", {"sha256": sha256, "file_name": "x.csv", "format": "bra"}
    )
    assert response.status_code == 400
    assert "Ladda upp den igen" in response.content.decode()


def test_a_file_that_is_not_a_table_is_refused_at_upload(client, steward):
    response = client_for(client, steward).post(
        IMPORTS + "tabell/", {"format": "bra", "file": upload("bild.xlsx", b"\x00\x01 inte excel")}
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()


# --- the samordnare's own series ----------------------------------------------------------------------

SERIES_CSV = "kommun;period;kostnad\nMalå;2023;120000\nMalå;2024;95500,5\n".encode()


def series_url(world, tail=""):
    return f"/samverkan/{world.a.pk}/statistik/importera/{tail}"


def series_confirm(world, client, data=SERIES_CSV, **options):
    response = client.post(series_url(world), {"file": upload("skadegorelse.csv", data)})
    assert response.status_code == 200, response.content.decode()[:2000]
    body = response.content.decode()
    post = confirm_post(
        body, map_varde="kostnad", opt_indicator_name="Kostnad för skadegörelse", opt_unit="kr"
    )
    post.update(options)
    return client.post(series_url(world, "bekrafta/"), post)


def test_samordnare_imports_a_series_for_own_kommun(world):
    client = world.client("samordnare")
    assert client.get(series_url(world)).status_code == 200
    response = series_confirm(world, client)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == series_url(world, f"{run.pk}/")
    indicator = Indicator.objects.get(name="Kostnad för skadegörelse")
    assert DataPoint.objects.filter(indicator=indicator, kommun_id="2418").count() == 2
    report = client.get(response["Location"])
    assert report.status_code == 200 and "skadegorelse.csv" in report.content.decode()


def test_series_for_another_kommun_is_refused_with_the_line(world):
    data = SERIES_CSV + "Älvdalen;2024;1000\n".encode()
    response = series_confirm(world, world.client("samordnare"), data=data)
    assert response.status_code == 422
    assert re.search(r"<td>4</td><td>kommun</td>", response.content.decode())
    assert not DataPoint.objects.exists()


def test_series_format_cannot_be_switched_by_the_form(world):
    response = series_confirm(world, world.client("samordnare"), format="population")
    assert response.status_code == 302
    assert ImportRun.objects.get().options["format"] == "series"


@pytest.mark.parametrize(("persona", "status"), [("ledamot", 403), ("lasare", 403), ("outsider", 404)])
def test_only_the_samordnare_imports_series(world, persona, status):
    client = world.client(persona)
    assert client.get(series_url(world)).status_code == status
    response = client.post(series_url(world), {"file": upload("s.csv", SERIES_CSV)})
    assert response.status_code == status


def test_a_series_report_is_only_for_whoever_imported_it(world, steward):
    series_confirm(world, world.client("samordnare"))
    run = ImportRun.objects.get()
    other = UserFactory(username="samordnare2")
    from samverkan.core.models import Membership, Role

    Membership.objects.create(
        user=other, collaboration=world.a, role=Role.SAMORDNARE, organisation=world.org_a
    )
    assert world.client("samordnare").get(series_url(world, f"{run.pk}/")).status_code == 200
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(series_url(world, f"{run.pk}/")).status_code == 404
    assert world.client("outsider").get(series_url(world, f"{run.pk}/")).status_code == 404
