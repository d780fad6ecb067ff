"""Property-based fuzz of the whole API against its own OpenAPI document (schemathesis).

Every operation is called in-process (Django's WSGI handler) as the samordnare and as a ledamot of
collaboration A: schemathesis' coverage cases (each bound, type and required field, valid and invalid) and
a fixed number of generated examples, derandomised with a fixed seed. Two checks hold for every response:
no 5xx, and a documented response matches its schema. Ids of the test world replace the generated ones
where a case is not about that id (always in coverage cases, half the time in generated ones), so the
calls get past the 404 into the services.

Each call runs in a savepoint that is rolled back: every example meets the same world, and nothing is
left behind for other tests (the test's own transaction is pytest-django's, as for any test).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import response_schema_conformance

from samverkan.api.api import api
from samverkan.core.services import api_token_create

# Generated examples per operation and persona, on top of the coverage cases (about 10–190 each).
MAX_EXAMPLES = 25
SEED = 20260501
PERSONAS = ("samordnare", "ledamot")

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
# The document the API serves at /api/v1/openapi.json, built without a request (no database at import).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
APP = WSGIHandler()

# The current test's world: path parameters, query filters and body fields by name (set by ``aim``).
KNOWN: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "body": {}}


@pytest.fixture
def aim(world):  # type: ignore[no-untyped-def]
    """Fill ``KNOWN`` with ids of collaboration A's rows (the visibility matrix's set, plus body fields)."""
    from tests.test_visibility_matrix import _api_params

    path = _api_params(world)
    path["area"] = "vald"
    agreement = world.agreements["A"]["agreement"]
    focus_area = agreement.focus_areas.order_by("pk").first()
    ids = {
        "collaboration": world.a.pk,
        "agreement": agreement.pk,
        "organisation": world.org_a.pk,
        "round": path["round_id"],
        "category": world.situation["A"]["events"]["oppen"].category_id,
    }
    body = {
        **ids,
        "template": path["template_id"],
        "place": path["place_id"],
        "parent": focus_area.pk,
        "provider": world.org_a.pk,
        "responsible": world.org_a.pk,
        "replaced_by": agreement.pk,
        "reports_to": path["group_id"],
        "meets_around": path["group_id"],
        "agreements": [agreement.pk],
        "organisations": [world.org_a.pk],
        "other_parties": [world.org_a.pk],
        "police_areas": list(world.a.police_areas.values_list("pk", flat=True)),
        "kommun": "2418",
        "kommuner": ["2418"],
    }
    KNOWN.update(path=path, query=ids, body=body)
    yield
    KNOWN.update(path={}, query={}, body={})


@pytest.fixture
def in_process(db):  # type: ignore[no-untyped-def]
    """Django's WSGI handler closes the connection after each request; the test client does not, and
    neither may these calls (the test's transaction lives on that connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world, persona):  # type: ignore[no-untyped-def]
    return api_token_create(user=world.users[persona], name="fuzz")[1]


def _known(location: str, operation_path: str) -> dict[str, Any]:
    known = KNOWN[location]
    if location == "path" and operation_path.startswith("/api/v1/lan/"):
        return {**known, "kod": "24"}
    return known


def _with_known(value: Any, known: dict[str, Any], keep: str | None = None) -> Any:
    """``value`` (a dict) with every key the world knows set to the world's value, except ``keep``."""
    if not isinstance(value, dict):
        return value
    return {key: known[key] if key in known and key != keep else item for key, item in value.items()}


def _either(value: Any, known: dict[str, Any]) -> Any:
    """A strategy: the generated value as it is, or with the world's ids."""
    swapped = _with_known(value, known)
    return st.just(value) if swapped == value else st.sampled_from([value, swapped])


# Generated examples (Hypothesis draws): half keep their ids, half get the world's.
@schema.hook
def flatmap_path_parameters(context, path_parameters):  # type: ignore[no-untyped-def]
    return _either(path_parameters, _known("path", context.operation.path))


@schema.hook
def flatmap_query(context, query):  # type: ignore[no-untyped-def]
    return _either(query, KNOWN["query"])


@schema.hook
def flatmap_body(context, body):  # type: ignore[no-untyped-def]
    return _either(body, KNOWN["body"])


def _target(case: Any) -> str | None:
    """The parameter or body property a coverage case is about (it keeps its generated value)."""
    data = case.meta.phase.data
    location = getattr(data, "location", None) or ""
    found = re.match(r"/properties/([^/]+)", location) or re.search(
        r"valid '([^']+)' value", getattr(data, "description", "") or ""
    )
    return found.group(1) if found else getattr(data, "parameter", None)


def _aim_coverage_case(case: Any) -> None:
    """Coverage cases test one thing each; every id they are not about becomes the world's."""
    if case.meta is None or case.meta.phase.name.value == "fuzzing":
        return
    keep = _target(case)
    if case.path_parameters:
        case.path_parameters = _with_known(case.path_parameters, _known("path", case.operation.path), keep)
    if case.query:
        case.query = _with_known(case.query, KNOWN["query"], keep)
    case.body = _with_known(case.body, KNOWN["body"], keep)


def _call_and_check(case: Any, token: str) -> None:
    """Call the app in a savepoint that is rolled back, then apply the two checks (raises on a failure)."""
    with transaction.atomic():
        response = case.call(app=APP, headers={"Authorization": f"Bearer {token}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # Shrinking a failure could take minutes; the report names the failing case as it was generated.
    phases=[Phase.explicit, Phase.generate, Phase.target],
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case, token, aim, in_process):  # type: ignore[no-untyped-def]
    _aim_coverage_case(case)
    _call_and_check(case, token)


# --- The checks can fail -------------------------------------------------------------------------------


def _collaboration_case(world: Any) -> Any:
    operation = schema["/api/v1/collaborations/{collaboration_id}"]["GET"]
    return operation.Case(path_parameters={"collaboration_id": world.a.pk})


def test_the_fuzz_passes_a_good_response(world, in_process):  # type: ignore[no-untyped-def]
    _call_and_check(_collaboration_case(world), api_token_create(user=world.users["ledamot"], name="t")[1])


def test_the_fuzz_fails_on_a_server_error(world, in_process, monkeypatch):  # type: ignore[no-untyped-def]
    token = api_token_create(user=world.users["ledamot"], name="t")[1]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr("samverkan.core.selectors.get_collaboration_for_user", broken)
    with pytest.raises(FailureGroup) as failed:
        _call_and_check(_collaboration_case(world), token)
    assert {type(failure) for failure in failed.value.exceptions} == {ServerError}


def test_the_fuzz_fails_on_a_response_outside_the_schema(world, in_process, monkeypatch):  # type: ignore[no-untyped-def]
    token = api_token_create(user=world.users["ledamot"], name="t")[1]
    monkeypatch.setattr(api.renderer, "render", lambda request, data, *, response_status: '{"id": "one"}')
    with pytest.raises(FailureGroup) as failed:
        _call_and_check(_collaboration_case(world), token)
    assert {type(failure) for failure in failed.value.exceptions} == {JsonSchemaError}
