"""The statistics map page and its JSON per role: small counts hidden or merged unless the user may see
exact locations *and* asks for the begränsad view; DeSO choropleth and hour × weekday table the same way."""

from __future__ import annotations

import datetime as dt
import re

import h3
import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import AuditEntry, Level
from samverkan.indicators.models import CrimeCode, Deso, ImportRun, PoliceEvent, RegisteredCrime
from samverkan.situation.models import Event, EventCategory
from tests.audit import logged_ids
from tests.indicators.factories import ImportRunFactory

# Four places in Malå far enough apart to lie in different resolution-6 parents.
TOWN = (65.1833, 18.7422)
NORTH = (65.40, 18.60)
WEST = (65.20, 18.20)
SOUTH = (64.95, 18.90)
RES = 7  # "medel", the default


def url(name, world, **query):
    path = reverse(f"situation:statistics_{name}", kwargs={"collaboration_id": world.a.pk})
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def _monday(days_ago_at_least: int, hour: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago_at_least)
    day -= dt.timedelta(days=day.weekday())
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


@pytest.fixture
def map_events(world):
    """20 events with points: 8 in town (one Monday hour), 6 north, 3 west (intern), 3 south (begränsad)."""
    category = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    made = {}
    for name, point, n, level, hour in (
        ("town", TOWN, 8, Level.INTERN, None),
        ("north", NORTH, 6, Level.INTERN, 12),
        ("west", WEST, 3, Level.INTERN, 3),
        ("south", SOUTH, 3, Level.BEGRANSAD, 4),
    ):
        made[name] = [
            Event.objects.create(
                collaboration=world.a,
                level=level,
                category=category,
                occurred_at=_monday(14, 21) if hour is None else _monday(14, hour) + dt.timedelta(days=i % 3),
                kommun_id="2418",
                latitude=point[0] + i * 0.00002,
                longitude=point[1],
                description=f"Kartans händelse {name} {i}",
                organisation=world.org_a,
                reported_by=world.users["samordnare"],
            )
            for i in range(n)
        ]
    return made


def _counts(data):
    return sorted(f["properties"]["count"] for f in data["hexes"]["features"])


def _table_numbers(body: str) -> list[int]:
    return [int(n) for n in re.findall(r"<td[^>]*>\s*(\d+)\s*</td>", body)]


@pytest.mark.parametrize(
    ("persona", "query"),
    [
        ("ledamot", {}),
        ("lasare", {}),
        ("ledamot", {"begransad": "1"}),
        ("samordnare", {}),
        ("polis", {"begransad": "0"}),
    ],
)
def test_suppressed_views_hold_no_small_count_and_no_points(world, map_events, persona, query):
    client = world.client(persona)
    data = client.get(url("map_data", world, **query)).json()
    assert data["begransad"] is False and data["points"] is None
    assert _counts(data) and min(_counts(data)) >= 5
    assert 3 not in _counts(data)  # the west cluster (3) is hidden, not merged: its parent has nothing else

    response = client.get(url("map", world, **query))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Områden med färre än 5 händelser visas inte, för att ingen ska kunna pekas ut." in body
    assert all(n == 0 or n >= 5 for n in _table_numbers(body)), _table_numbers(body)
    assert "färre än 5" in body  # the hidden west and south cells, the small hour cells
    assert "Kartans händelse" not in body and "points-caption" not in body
    assert f"/lagesbild/handelser/{map_events['town'][0].pk}/" not in body


def test_ledamot_does_not_see_begransad_events_even_as_counts(world, map_events):
    # Ledamot reads 17 of the 20 (the 3 begränsad are not visible to the role at all).
    data = world.client("ledamot").get(url("map_data", world)).json()
    assert sum(_counts(data)) == 14  # town 8 + north 6; west 3 hidden


def test_samordnare_asking_for_the_begransad_view_gets_exact_counts_and_points(world, map_events):
    client = world.client("samordnare")
    data = client.get(url("map_data", world, begransad="1")).json()
    assert data["begransad"] is True
    assert sorted(_counts(data)) == [3, 3, 6, 8]
    assert len(data["points"]["features"]) == 20
    point = data["points"]["features"][0]
    assert set(point["properties"]) == {"category", "area", "when", "url"}

    body = client.get(url("map", world, begransad="1")).content.decode()
    assert "Begränsad vy." in body and "points-caption" in body
    assert f"/lagesbild/handelser/{map_events['south'][0].pk}/" in body
    assert 3 in _table_numbers(body) and ">färre än 5<" not in body


def test_begransad_points_shown_are_audit_logged(world, map_events):
    south = {str(e.pk) for e in map_events["south"]}
    world.client("polis").get(url("map", world, begransad="1"))
    assert south <= logged_ids(world.users["polis"], "situation.event")
    # The suppressed view shows no event, so it logs none.
    AuditEntry.objects.all().delete()
    world.client("polis").get(url("map", world))
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_the_begransad_choice_is_offered_only_to_those_who_may_use_it(world):
    assert 'name="begransad"' in world.client("samordnare").get(url("map", world)).content.decode()
    assert 'name="begransad"' not in world.client("ledamot").get(url("map", world)).content.decode()


def test_small_cells_of_one_parent_are_merged(world, map_events):
    # Three more events one cell east of the west cluster: 3 + 3 in one parent reach the threshold.
    west_cell = h3.latlng_to_cell(*WEST, RES)
    parent = h3.cell_to_parent(west_cell, RES - 1)
    sibling = next(c for c in sorted(h3.cell_to_children(parent, RES)) if c != west_cell)
    lat, lon = h3.cell_to_latlng(sibling)
    template = map_events["west"][0]
    for i in range(3):
        Event.objects.create(
            collaboration=world.a,
            level=Level.INTERN,
            category=template.category,
            occurred_at=template.occurred_at,
            kommun_id="2418",
            latitude=lat,
            longitude=lon,
            description=f"Granne {i}",
        )
    data = world.client("ledamot").get(url("map_data", world)).json()
    merged = [f["properties"] for f in data["hexes"]["features"] if f["properties"]["merged"]]
    place = merged[0].pop("place") if merged else None
    assert merged == [{"cell": parent, "count": 6, "merged": True, "resolution": RES - 1}]
    assert place and place.endswith("om Malå")  # named by the nearest locality, kilometres away


def test_hour_weekday_table_hides_small_cells_and_shows_exact_in_begransad(world, map_events):
    body = world.client("samordnare").get(url("map", world)).content.decode()
    member_table = body.split('id="vecka-medlemmar"')[1].split("</table>")[0]
    monday = member_table.split("</tr>")[1]  # the header row first, then Monday
    assert "Måndag" in monday
    assert ">8</td>" in monday  # eight town events at 21
    assert "färre än 5" in monday  # the north/west/south events spread over Monday–Wednesday
    exact = world.client("samordnare").get(url("map", world, begransad="1")).content.decode()
    exact_monday = exact.split('id="vecka-medlemmar"')[1].split("</table>")[0].split("</tr>")[1]
    assert ">8</td>" in exact_monday and "färre än" not in exact_monday


def test_police_events_are_public_counts_never_on_the_map(world, map_events):
    run = ImportRunFactory(kind=ImportRun.Kind.POLICE_EVENTS)
    when = _monday(7, 10)
    for i in range(2):
        PoliceEvent.objects.create(
            police_id=900 + i,
            datetime=when,
            month=when.date().replace(day=1),
            name="Stöld, Malå",
            type="Stöld",
            kommun_id="2418",
            latitude=65.18,
            longitude=18.74,
            matched_by=PoliceEvent.MatchedBy.LOCATION,
            import_run=run,
            content_hash="x",
        )
    body = world.client("ledamot").get(url("map", world)).content.decode()
    police = body.split('id="police-heading"')[1]
    assert "inte var det hände" in police
    # Per kommun and area the counts are public (the police publish them, the joint picture shows them);
    # the hour × weekday cells are fine enough to point at one incident, so they stay suppressed.
    counts = police.split('id="week-heading"')[0]
    week = police.split('id="vecka-polisen"')[1].split("</table>")[0]
    assert "Malå" in counts and ">2</td>" in counts and "färre än 5" not in counts
    assert "färre än 5" in week and not re.search(r"<td[^>]*>2</td>", week)
    exact = world.client("polis").get(url("map", world, begransad="1")).content.decode()
    assert ">2</td>" in exact.split('id="police-heading"')[1]
    # Counted in the database in Swedish time: Monday, hour 10 (the eleventh hour column).
    monday = exact.split('id="vecka-polisen"')[1].split("</table>")[0].split("</tr>")[1]
    assert re.findall(r"<td[^>]*>(\d+)</td>", monday)[10] == "2"
    data = world.client("polis").get(url("map_data", world, begransad="1")).json()
    assert len(data["points"]["features"]) == 20  # members' events only


@pytest.fixture
def deso_data(world):
    run = ImportRunFactory(kind=ImportRun.Kind.CRIME_STATISTICS)
    CrimeCode.objects.create(code="9001", text="Skadegörelse", area_code="ordning")
    CrimeCode.objects.create(code="9002", text="Misshandel", area_code="vald")
    areas = {}
    for n, (code, lat) in enumerate((("2418A0001", 65.1), ("2418A0002", 65.2), ("2418A0003", 65.3))):
        square = [[18.5, lat], [18.6, lat], [18.6, lat + 0.05], [18.5, lat + 0.05], [18.5, lat]]
        areas[code] = Deso.objects.create(
            code=code,
            kommun_id="2418",
            regso=f"Malå del {n + 1}",
            geometry={"type": "Polygon", "coordinates": [square]},
        )
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    month = month.replace(day=1)
    for deso, code, count in (
        ("2418A0001", "9001", 7),
        ("2418A0002", "9001", 2),
        (None, "9001", 3),
        ("2418A0001", "9002", 4),
    ):
        RegisteredCrime.objects.create(
            kommun_id="2418", deso_id=deso, month=month, crime_code=code, count=count, import_run=run
        )
    return areas


def test_deso_choropleth_is_suppressed_outside_the_begransad_view(world, deso_data):
    data = world.client("ledamot").get(url("map_data", world, layer="deso")).json()
    props = {f["properties"]["code"]: f["properties"] for f in data["deso"]["features"]}
    assert props["2418A0001"]["count"] == 11
    # Where the number stands: a point of the (public) area, whatever its count.
    lat, lon = props["2418A0002"].pop("label")
    assert 65.2 < lat < 65.25 and 18.5 < lon < 18.6
    assert props["2418A0002"] == {
        "code": "2418A0002",
        "name": "Malå del 2",
        "count": None,
        "hidden": True,
        "text": "färre än 5",
    }
    assert props["2418A0003"]["count"] == 0 and not props["2418A0003"]["hidden"]
    assert data["hexes"] is None

    body = world.client("ledamot").get(url("map", world, layer="deso")).content.decode()
    assert "Registrerade brott per DeSO" in body
    assert all(n == 0 or n >= 5 for n in _table_numbers(body)), _table_numbers(body)
    assert "Brott utan DeSO (sekretess hos källan)" in body
    table = body.split('id="deso-caption"')[1].split("</table>")[0]
    assert table.index("2418A0001") < table.index("2418A0002")  # sorted by count, hidden after shown


def test_deso_exact_in_the_begransad_view_and_filtered_by_area(world, deso_data):
    client = world.client("samordnare")
    data = client.get(url("map_data", world, layer="deso", begransad="1")).json()
    counts = {f["properties"]["code"]: f["properties"]["count"] for f in data["deso"]["features"]}
    assert counts == {"2418A0001": 11, "2418A0002": 2, "2418A0003": 0}
    vald = client.get(url("map_data", world, layer="deso", begransad="1", area_code="vald")).json()
    assert {f["properties"]["code"]: f["properties"]["count"] for f in vald["deso"]["features"]}[
        "2418A0001"
    ] == 4
    body = client.get(url("map", world, layer="deso", begransad="1")).content.decode()
    assert ">3</td>" in body.split("Brott utan DeSO")[1]


def test_deso_layer_is_offered_only_when_there_is_data(world, map_events):
    assert (
        "Registrerade brott per DeSO" not in world.client("ledamot").get(url("map", world)).content.decode()
    )
    response = world.client("ledamot").get(url("map_data", world, layer="deso"))
    assert response.status_code == 400
    assert "layer" in response.json()["errors"]


def test_bad_filters_give_a_swedish_message_and_400(world):
    client = world.client("ledamot")
    response = client.get(url("map", world, start="2026-05-01", end="2026-04-01"))
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert client.get(url("map_data", world, start="inte-ett-datum")).status_code == 400
    assert client.get(url("map_data", world, resolution="pyttesmå")).status_code == 400


def test_resolution_changes_the_hexagon_size(world, map_events):
    client = world.client("samordnare")
    fine = client.get(url("map_data", world, begransad="1", resolution="fin")).json()
    coarse = client.get(url("map_data", world, begransad="1", resolution="grov")).json()
    assert {f["properties"]["resolution"] for f in fine["hexes"]["features"]} == {8}
    assert {f["properties"]["resolution"] for f in coarse["hexes"]["features"]} == {6}


@pytest.mark.parametrize("name", ["map", "map_data"])
def test_outsider_gets_404(world, name):
    assert world.client("outsider").get(url(name, world)).status_code == 404


@pytest.mark.parametrize("name", ["map", "map_data"])
def test_anonymous_is_sent_to_login(world, name):
    response = world.client("anonymous").get(url(name, world))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
