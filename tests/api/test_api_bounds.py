"""Every API input is bounded, and an input outside its bounds is a 422 naming it, never a 500.

The OpenAPI document is the API's own description of its inputs, so the first test walks it: every
integer a client sends has a maximum (the database's range), every string a maximum length (or a format
or an enum), every list a maximum number of items. The others are the defects the fuzz and the review
found (issue 10), each shown to fail before the bounds were added.
"""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.core.selectors import MAX_ID
from tests.api.conftest import BASE, validation_errors

TOO_LARGE = 2**64  # 18446744073709551616: past every integer column and SQLite's driver


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _unbounded(schema: dict[str, Any], document: dict[str, Any], where: str) -> list[str]:
    """Every place under ``schema`` a client could send an unbounded integer, string or list."""
    schema = _resolve(schema, document)
    found: list[str] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _unbounded(option, document, where)
    kind = schema.get("type")
    if kind == "integer" and "maximum" not in schema:
        found.append(f"{where}: integer without maximum")
    elif kind == "string" and not ({"maxLength", "enum", "format", "pattern"} & set(schema)):
        found.append(f"{where}: string without maxLength")
    elif kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: array without maxItems")
        found += _unbounded(schema.get("items", {}), document, f"{where}[]")
    elif kind == "object" or "properties" in schema:
        for name, prop in schema.get("properties", {}).items():
            found += _unbounded(prop, document, f"{where}.{name}")
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            if "maxProperties" not in schema:
                found.append(f"{where}: object without maxProperties")
            found += _unbounded(extra, document, f"{where}{{}}")
    return found


def test_every_input_in_the_openapi_document_is_bounded(client, db):
    document = client.get(f"{BASE}/openapi.json").json()
    found: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                found += _unbounded(parameter["schema"], document, f"{where} ?{parameter['name']}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                found += _unbounded(content["schema"], document, f"{where} body")
    assert found == []


def test_the_walk_finds_an_unbounded_input():
    """The walk can fail: a bare integer, string and list are reported."""
    document = {"components": {"schemas": {}}}
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer"},
            "s": {"type": "string"},
            "l": {"type": "array", "items": {"type": "integer", "maximum": 3}},
        },
    }
    assert len(_unbounded(schema, document, "x")) == 3


# --- Large integers: 422 naming the parameter, not an overflow in the driver ---------------------------


def test_offset_past_the_database_range_is_a_422(api):
    response = api("samordnare", "get", f"/notices?offset={TOO_LARGE}")
    assert "offset" in validation_errors(response)


@pytest.mark.parametrize(
    "path",
    [
        "/notices?collaboration={n}",
        "/organisations?collaboration={n}",
        "/agreements?collaboration={n}",
        "/focus-areas?agreement={n}",
        "/groups?agreement={n}",
        "/promises?agreement={n}",
        "/reports?round={n}",
        "/reports?organisation={n}",
        "/templates?collaboration={n}",
        "/events?category={n}",
        "/events?offset={n}",
        "/rounds?collaboration={n}",
        "/joint-pictures?collaboration={n}",
    ],
)
def test_filters_past_the_database_range_are_a_422(api, path):
    response = api("samordnare", "get", path.format(n=TOO_LARGE))
    field = path.split("?")[1].split("=")[0]
    assert field in validation_errors(response)


@pytest.mark.parametrize("path", ["/collaborations/{n}", "/notices/{n}", "/agreements/{n}", "/events/{n}"])
def test_path_ids_past_the_database_range_are_a_422(api, path):
    assert api("samordnare", "get", path.format(n=TOO_LARGE)).status_code == 422


def test_the_largest_id_is_simply_not_found(api):
    assert api("samordnare", "get", f"/notices/{MAX_ID}").status_code == 404


def test_ids_in_a_body_past_the_database_range_are_a_422(api, world):
    agreement = world.agreements["A"]["agreement"]
    promise = world.agreements["A"]["promise"]
    cases = [
        (f"/agreements/{agreement.pk}", {"police_areas": [TOO_LARGE]}, "police_areas"),
        (f"/agreements/{agreement.pk}", {"other_parties": [1, TOO_LARGE]}, "other_parties"),
        (f"/promises/{promise.pk}", {"agreement": TOO_LARGE}, "agreement"),
        (f"/promises/{promise.pk}", {"replaced_by": TOO_LARGE}, "replaced_by"),
    ]
    for path, body, field in cases:
        response = api("samordnare", "patch", path, body)
        errors = validation_errors(response)
        assert field in errors or any(field in str(err["loc"]) for err in response.json()["detail"]), (
            path,
            body,
            errors,
        )
    response = api("samordnare", "post", "/notices", {"collaboration": TOO_LARGE, "title": "t", "body": "b"})
    assert "collaboration" in validation_errors(response)


def test_too_many_ids_in_a_body_are_a_422(api, world):
    agreement = world.agreements["A"]["agreement"]
    response = api("samordnare", "patch", f"/agreements/{agreement.pk}", {"other_parties": [1] * 1000})
    assert "other_parties" in validation_errors(response)


# --- Bodies: an object where an object belongs ---------------------------------------------------------


@pytest.mark.parametrize("body", [[], [{"description": "x"}], 5, '"text"'])
def test_a_patch_body_that_is_not_an_object_is_a_422(api, world, body):
    before = world.a.description
    response = api("samordnare", "patch", f"/collaborations/{world.a.pk}", body)
    assert response.status_code == 422, response.content
    world.a.refresh_from_db()
    assert world.a.description == before


def test_a_post_body_that_is_a_list_is_a_422(api, world):
    response = api(
        "samordnare", "post", "/notices", [{"collaboration": world.a.pk, "title": "t", "body": "b"}]
    )
    assert response.status_code == 422


# --- Dates: inside the product's years -----------------------------------------------------------------


def test_an_activity_due_in_year_148_is_a_422(api, world):
    promise = world.agreements["A"]["promise"]
    response = api(
        "samordnare",
        "post",
        f"/promises/{promise.pk}/activities",
        {"description": "Vandring", "due": "0148-05-01"},
    )
    assert "due" in validation_errors(response)
    activity = promise.activities.get()
    response = api(
        "samordnare", "patch", f"/promises/{promise.pk}/activities/{activity.pk}", {"due": "0148-05-01"}
    )
    assert "due" in validation_errors(response)
    activity.refresh_from_db()
    assert activity.due is None


def test_an_agreement_ending_in_year_9999_is_a_422(api, world):
    agreement = world.agreements["A"]["agreement"]
    response = api("samordnare", "patch", f"/agreements/{agreement.pk}", {"end_date": "9999-12-31"})
    assert "end_date" in validation_errors(response)


def test_an_activity_due_inside_the_years_is_kept(api, world):
    promise = world.agreements["A"]["promise"]
    response = api(
        "samordnare",
        "post",
        f"/promises/{promise.pk}/activities",
        {"description": "Vandring", "due": "2026-05-01"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["due"] == "2026-05-01"


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31"])
def test_event_filters_at_the_ends_of_the_calendar_are_a_422(api, query):
    response = api("samordnare", "get", f"/events?{query}")
    assert query.split("=")[0] in validation_errors(response)


def test_an_event_in_year_1_is_a_422(api, world):
    body = {
        "collaboration": world.a.pk,
        "category": world.situation["A"]["events"]["oppen"].category_id,
        "occurred_at": "0001-01-01T00:00:00",
        "kommun": "2418",
        "description": "Klotter",
    }
    assert "occurred_at" in validation_errors(api("samordnare", "post", "/events", body))
