"""A map a reader can read: the view fitted to the kommun, its border and its neighbours, DeSO areas, the
names of towns and villages from the shipped localities, and the hexagons named by their nearest place in the
table beside the map, while small-count suppression stays exactly as it was."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import h3
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.core.models import Level
from samverkan.indicators.models import Deso
from samverkan.indicators.services.deso import import_deso_areas
from samverkan.situation import geo, localities, map_context
from samverkan.situation.models import Event, EventCategory
from samverkan.situation.selectors.picture.cache import LOCAL
from tests.situation.factories import events_at

MALA = (65.2388, 18.7293)  # the locality's point in the shipped file
FAR_NORTH = (65.38, 18.42)  # forest north-west of Malå, well away from any locality


def url(name, collaboration, **query):
    path = reverse(f"situation:statistics_{name}", kwargs={"collaboration_id": collaboration.pk})
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


# --- The shipped localities ------------------------------------------------------------------------------


def test_the_localities_file_is_small_and_names_the_demo_villages():
    assert localities.LOCALITIES_PATH.stat().st_size < 40_000
    with gzip.open(localities.LOCALITIES_PATH, "rt", encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(localities.COLUMNS)
    assert len(localities.all_localities()) > 1_800
    alvdalen = {p.name for p in localities.localities_in(["2039"])}
    assert {"Älvdalen", "Särna", "Idre"} <= alvdalen
    assert "Mora" not in alvdalen
    # Every locality lies in (or within a few hundred metres of) the kommun it is filed under.
    for place in localities.localities_in(["2039", "2418", "2062"]):
        assert geo.point_in_kommun(place.kommun, place.lat, place.lon, tolerance=5_000), place


def test_the_sources_note_names_origin_and_licence_of_the_shipped_geodata():
    note = (localities.LOCALITIES_PATH.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "sphrak/svenska-stader" in note and "Apache" in note
    assert "okfse/sweden-geojson" in note


def test_vendor_localities_assigns_the_kommun_from_our_boundaries(tmp_path):
    from django.core.management import call_command

    source = tmp_path / "orter.csv"
    # The source's own kommun column is not trusted: Särna is filed under Mora here on purpose.
    source.write_text(
        "Locality,Municipality,County,Latitude,Longitude\n"
        "Särna,Mora,Dalarna,61.694181,13.143068\n"
        "Havet,Ingen,Ingen,57.0,19.9\n",
        encoding="utf-8",
    )
    output = tmp_path / "orter.csv.gz"
    call_command("vendor_localities", str(source), output=str(output))
    with gzip.open(output, "rt", encoding="utf-8") as handle:
        assert handle.read() == "namn,kommunkod,lat,lon\nSärna,2039,61.6942,13.1431\n"


# --- Nearest-place naming -------------------------------------------------------------------------------


def test_a_point_at_a_village_is_named_by_the_village():
    places = localities.localities_in(["2039"])
    assert localities.describe(61.6945, 13.1440, places) == "Särna"
    assert localities.describe(61.8590, 12.7180, places) == "Idre"


def test_a_point_away_from_villages_gets_distance_and_direction_from_the_nearest():
    places = localities.localities_in(["2039"])
    # 12 km south-east of Idre, nearer Idre than Särna.
    assert localities.describe(61.80, 12.90, places) == "12 km SO om Idre"
    assert localities.describe(*FAR_NORTH, localities.localities_in(["2418"])) == "21 km NV om Malå"


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ((1, 0), "N"),
        ((1, 1), "NO"),
        ((0, 1), "O"),
        ((-1, 1), "SO"),
        ((-1, 0), "S"),
        ((-1, -1), "SV"),
        ((0, -1), "V"),
        ((1, -1), "NV"),
    ],
)
def test_eight_compass_points(to, expected):
    # At the equator a degree is a degree either way, so the diagonals are exact.
    assert localities.direction(0, 0, to[0] * 0.1, to[1] * 0.1) == expected


def test_no_places_no_name():
    assert localities.describe(65.0, 18.0, []) == ""


# --- Fitted bounds and neighbours -----------------------------------------------------------------------


def test_the_view_fits_the_kommun_with_a_small_margin():
    (south, west), (north, east) = geo.fitted_bounds(["2039"])
    b_west, b_south, b_east, b_north = geo.bbox("2039")
    assert south < b_south and west < b_west and north > b_north and east > b_east
    # A margin, not a view of Dalarna: at most a tenth of the extent on each side.
    assert b_south - south <= (b_north - b_south) * 0.1
    assert east - b_east <= (b_east - b_west) * 0.1 + 0.05


def test_a_network_view_covers_all_its_kommuner():
    codes = ["2417", "2418", "2422", "2505", "2506"]
    (south, west), (north, east) = geo.fitted_bounds(codes)
    for kod in codes:
        b_west, b_south, b_east, b_north = geo.bbox(kod)
        assert south < b_south and west < b_west and north > b_north and east > b_east
    assert geo.fitted_bounds(["9999"]) is None


def test_neighbours_are_the_bordering_kommuner():
    assert set(geo.neighbours(["2039"])) == {"2023", "2062", "2361"}
    # Inside a network, members are not their own neighbours.
    near = geo.neighbours(["2418", "2417"])
    assert "2418" not in near and "2417" not in near and "2482" in near  # Skellefteå


def test_a_kommun_label_stands_inside_the_kommun():
    lat, lon = geo.label_point("2039")
    assert geo.point_in_kommun("2039", lat, lon, tolerance=0)


# --- The map data and page ------------------------------------------------------------------------------


def test_map_data_carries_the_context_a_reader_needs(world):
    Deso.objects.create(
        code="2418A0001",
        kommun_id="2418",
        regso="Malå tätort",
        geometry={
            "type": "Polygon",
            "coordinates": [[[18.7, 65.2], [18.8, 65.2], [18.8, 65.3], [18.7, 65.2]]],
        },
    )
    data = world.client("lasare").get(url("map_data", world.a)).json()
    context = data["context"]
    assert context["bounds"] == [list(c) for c in geo.fitted_bounds(["2418"])]
    [own] = context["kommuner"]["features"]
    assert own["properties"]["name"] == "Malå" and own["properties"]["own"] is True
    assert own["properties"]["label"] == list(geo.label_point("2418"))
    neighbours = {f["properties"]["name"] for f in context["neighbours"]["features"]}
    assert {"Norsjö", "Sorsele", "Arvidsjaur"} <= neighbours
    assert [f["properties"]["code"] for f in context["deso"]["features"]] == ["2418A0001"]
    places = {p["name"]: p["rank"] for p in context["places"]}
    assert places["Malå"] == 1  # the kommun's seat first
    (south, west), (north, east) = context["bounds"]
    assert all(south <= p["lat"] <= north and west <= p["lon"] <= east for p in context["places"])
    assert places and all(rank in (1, 2, 3, 4) for rank in places.values())


def _deso_feature(code: str, ring: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"desokod": code, "regsokod": "2418R001", "kommunkod": code[:4], "version": "2025_v1"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


SQUARE = [[18.70, 65.20], [18.72, 65.20], [18.72, 65.22], [18.70, 65.22], [18.70, 65.20]]
WIDER = [[18.70, 65.20], [18.75, 65.20], [18.75, 65.22], [18.70, 65.22], [18.70, 65.20]]


def _deso_import(*features: dict) -> None:
    data = json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()
    import_deso_areas(data=data, file_name="deso.geojson", force=True)


def _outlines(world) -> dict[str, list]:
    context = world.client("lasare").get(url("map_data", world.a)).json()["context"]
    return {f["properties"]["code"]: f["geometry"]["coordinates"] for f in context["deso"]["features"]}


def test_the_context_is_built_once_per_kommun_set_and_deso_revision(world, monkeypatch):
    built = []
    real = map_context.build_map_context

    def counting(own):
        built.append(list(own))
        return real(own)

    monkeypatch.setattr(map_context, "build_map_context", counting)
    _deso_import(_deso_feature("2418A0001", SQUARE))
    first = map_context.map_context(["2418"])
    with CaptureQueriesContext(connection) as captured:
        again = map_context.map_context(["2418"])
    assert again is first and built == [["2418"]]
    assert len(captured.captured_queries) == 1  # the revision; no DeSO query, no simplification
    map_context.map_context(["2039", "2418"])
    assert built == [["2418"], ["2039", "2418"]]
    # Another process (its own memo) gets it from the shared cache without building it.
    LOCAL.clear()
    assert map_context.map_context(["2418"]) == first and len(built) == 2


def test_a_deso_import_shows_on_the_maps_at_once(world):
    assert _outlines(world) == {}  # cached now
    _deso_import(_deso_feature("2418A0001", SQUARE))
    assert list(_outlines(world)) == ["2418A0001"]
    before = _outlines(world)["2418A0001"]
    _deso_import(_deso_feature("2418A0001", WIDER), _deso_feature("2418A0002", SQUARE))
    after = _outlines(world)
    assert sorted(after) == ["2418A0001", "2418A0002"] and after["2418A0001"] != before
    boundaries = world.client("lasare").get(reverse("situation:kommun_boundaries", args=[world.a.pk])).json()
    assert sorted(f["properties"]["code"] for f in boundaries["context"]["deso"]["features"]) == sorted(after)


def test_the_network_map_names_its_kommuner(world):
    world.a.kommuner.add("2417", "2422", "2505", "2506")
    context = world.client("lasare").get(url("map_data", world.a)).json()["context"]
    own = {f["properties"]["name"] for f in context["kommuner"]["features"]}
    assert own == {"Malå", "Norsjö", "Sorsele", "Arvidsjaur", "Arjeplog"}
    assert all(f["properties"]["label"] for f in context["kommuner"]["features"])
    seats = {p["name"] for p in context["places"] if p["rank"] == 1}
    assert {"Malå", "Norsjö", "Sorsele", "Arvidsjaur", "Arjeplog"} <= seats


def test_the_table_beside_the_map_names_hexagons_by_their_nearest_place(world):
    events_at(world.a, MALA, 6)
    events_at(world.a, FAR_NORTH, 5)
    body = world.client("lasare").get(url("map", world.a)).content.decode()
    table = body.split('id="hex-caption"')[1].split("</table>")[0]
    assert "Närmaste ort" in table
    assert '<th scope="row">Malå' in table
    assert '<th scope="row">21 km NV om Malå' in table
    assert "° N" not in table  # no longer latitude and longitude
    data = world.client("lasare").get(url("map_data", world.a)).json()
    assert sorted(f["properties"]["place"] for f in data["hexes"]["features"]) == ["21 km NV om Malå", "Malå"]


def test_a_suppressed_hexagon_is_neither_drawn_nor_named(world):
    events_at(world.a, MALA, 6)
    events_at(world.a, FAR_NORTH, 2)  # below the threshold, and alone in its parent
    hidden_name = localities.describe(
        *h3.cell_to_latlng(h3.latlng_to_cell(*FAR_NORTH, 7)), localities.localities_in(["2418"])
    )
    assert hidden_name == "21 km NV om Malå"
    for persona in ("lasare", "ledamot", "samordnare"):
        client = world.client(persona)
        body = client.get(url("map", world.a)).content.decode()
        data = client.get(url("map_data", world.a)).json()
        assert hidden_name not in body and hidden_name not in str(data)
        assert [f["properties"]["count"] for f in data["hexes"]["features"]] == [6]
    # The begränsad view, for those who may have it, names it with its exact count.
    exact = world.client("samordnare").get(url("map_data", world.a, begransad="1")).json()
    assert {f["properties"]["place"]: f["properties"]["count"] for f in exact["hexes"]["features"]} == {
        "Malå": 6,
        hidden_name: 2,
    }


def test_hex_names_are_given_only_for_the_cells_asked():
    from samverkan.indicators.heat import HexCell

    shown = HexCell(cell=h3.latlng_to_cell(*MALA, 7), count=6, merged=False)
    assert map_context.hex_names([shown], ["2418"]) == {shown.cell: "Malå"}
    assert map_context.hex_names([], ["2418"]) == {}


# --- Hexagons visible as hexagons -----------------------------------------------------------------------


def test_a_large_kommun_defaults_to_larger_hexagons():
    from samverkan.indicators import heat

    assert heat.default_resolution(geo.extent_km(["2418"])) == "medel"  # Malå, ~66 km across
    assert heat.default_resolution(geo.extent_km(["2039"])) == "grov"  # Älvdalen, ~150 km across
    assert heat.default_resolution(geo.extent_km(["2417", "2418", "2422", "2505", "2506"])) == "grov"


def test_alvdalen_map_shows_larger_hexagons_until_the_reader_chooses(world):
    category = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    for i in range(6):
        Event.objects.create(
            collaboration=world.b,
            level=Level.INTERN,
            category=category,
            occurred_at=timezone.now() - dt.timedelta(days=3, hours=i),
            kommun_id="2039",
            latitude=61.6930,
            longitude=13.1350,
            description=f"Särna {i}",
        )
    client = world.client("outsider")  # samordnare of the Älvdalen collaboration
    data = client.get(url("map_data", world.b)).json()
    assert [f["properties"]["resolution"] for f in data["hexes"]["features"]] == [6]
    assert data["hexes"]["features"][0]["properties"]["place"] == "Särna"
    body = client.get(url("map", world.b)).content.decode()
    assert '<option value="grov" selected>' in body
    chosen = client.get(url("map_data", world.b, resolution="medel")).json()
    assert [f["properties"]["resolution"] for f in chosen["hexes"]["features"]] == [7]


def test_a_deso_number_stands_inside_its_area_even_when_the_area_is_a_crescent(world):
    from samverkan.indicators.models import CrimeCode, ImportRun, RegisteredCrime
    from tests.indicators.factories import ImportRunFactory

    # A U-shaped area: its centroid lies in the notch, outside the area.
    u_shape = [
        [18.5, 65.1],
        [18.8, 65.1],
        [18.8, 65.3],
        [18.7, 65.3],
        [18.7, 65.15],
        [18.6, 65.15],
        [18.6, 65.3],
        [18.5, 65.3],
        [18.5, 65.1],
    ]
    Deso.objects.create(
        code="2418A0009",
        kommun_id="2418",
        regso="Malå U",
        geometry={"type": "Polygon", "coordinates": [u_shape]},
    )
    CrimeCode.objects.create(code="9001", text="Skadegörelse", area_code="ordning")
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=40)).replace(day=1)
    RegisteredCrime.objects.create(
        kommun_id="2418",
        deso_id="2418A0009",
        month=month,
        crime_code="9001",
        count=9,
        import_run=ImportRunFactory(kind=ImportRun.Kind.CRIME_STATISTICS),
    )
    data = world.client("lasare").get(url("map_data", world.a, layer="deso")).json()
    [feature] = data["deso"]["features"]
    lat, lon = feature["properties"]["label"]
    from shapely.geometry import Point, shape

    area = shape(feature["geometry"])
    assert area.contains(Point(lon, lat)) and not area.contains(area.centroid)


def test_two_hexagons_near_one_village_are_told_apart():
    from samverkan.indicators.heat import HexCell

    at_sarna = h3.latlng_to_cell(61.6942, 13.1431, 7)
    # The neighbour whose centre is nearest Särna: within a hexagon's radius of it, so named "Särna" too.
    beside = min(
        h3.grid_ring(at_sarna, 1), key=lambda c: geo.distance_metres(61.6942, 13.1431, *h3.cell_to_latlng(c))
    )
    cells = [HexCell(cell=c, count=6, merged=False) for c in (beside, at_sarna)]
    names = map_context.hex_names(cells, ["2039"])
    assert names[at_sarna] == "Särna"
    assert names[beside].endswith(
        "km " + localities.direction(61.6942, 13.1431, *h3.cell_to_latlng(beside)) + " om Särna"
    )
