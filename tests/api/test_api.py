"""The REST API contract (api.md): auth, errors, pagination, writes by role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from samverkan.core.models import Level, Notice, Organisation
from samverkan.core.services import api_token_create, api_token_revoke


@pytest.fixture
def api(world, client):
    def call(persona, method, path, data=None, **extra):
        headers = {}
        if persona:
            _t, raw = api_token_create(user=world.users[persona], name="test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        fn = getattr(client, method)
        if data is not None:
            return fn(path, data=data, content_type="application/json", **headers, **extra)
        return fn(path, **headers, **extra)

    return call


def test_openapi_and_docs_are_public(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Samverkan API"
    for path in ("/api/v1/kommuner", "/api/v1/lan", "/api/v1/collaborations", "/api/v1/organisations"):
        assert path in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()  # swagger served from our own static files


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Token svk_x", "Bearer svk_" + "a" * 43])
def test_bad_tokens_are_401_json(client, db, header):
    response = client.get("/api/v1/collaborations", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_revoked_token_is_401(world, client):
    token, raw = api_token_create(user=world.users["ledamot"], name="x")
    assert client.get("/api/v1/collaborations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    api_token_revoke(token=token, acting_user=world.users["ledamot"])
    assert client.get("/api/v1/collaborations", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_api_token_command_prints_a_working_token(world, client):
    out = StringIO()
    call_command("api_token", "ledamot", stdout=out)
    raw = out.getvalue().strip()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["email"] == "ledamot@example.org"


def test_kommuner_list_is_paginated_and_filterable(api):
    data = api("ledamot", "get", "/api/v1/kommuner?limit=10&offset=5").json()
    assert data["count"] == 290 and len(data["items"]) == 10
    dalarna = api("ledamot", "get", "/api/v1/kommuner?lan=20&limit=100").json()
    assert dalarna["count"] == 15
    assert {"kod": "2039", "namn": "Älvdalen"}.items() <= next(
        k for k in dalarna["items"] if k["kod"] == "2039"
    ).items()


def test_unknown_kommun_is_404(api):
    response = api("ledamot", "get", "/api/v1/kommuner/9999")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_collaborations_show_role(api, world):
    items = api("polis", "get", "/api/v1/collaborations").json()["items"]
    assert [(c["id"], c["role"], c["kommuner"]) for c in items] == [(world.a.pk, "polis", ["2418"])]


def test_notice_list_filters_and_hides_begransad(api, world):
    titles = {
        n["title"]
        for n in api("ledamot", "get", f"/api/v1/notices?collaboration={world.a.pk}").json()["items"]
    }
    assert titles == {"KANARIE-A-OPPEN", "KANARIE-A-INTERN"}
    polis = api("polis", "get", f"/api/v1/notices?collaboration={world.a.pk}&level=begransad").json()
    assert {n["title"] for n in polis["items"]} == {"KANARIE-A-BEGRANSAD", "KANARIE-A-BARA-POLIS"}
    assert all(n["restricted_to"] for n in polis["items"])


def test_invalid_level_filter_is_422(api, world):
    response = api("polis", "get", "/api/v1/notices?level=hemlig")
    assert response.status_code == 422


def test_create_notice_and_validation_errors_name_the_field(api, world):
    ok = api(
        "ledamot",
        "post",
        "/api/v1/notices",
        {"collaboration": world.a.pk, "title": "Via API", "body": "Text"},
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["level"] == "intern"
    missing = api("ledamot", "post", "/api/v1/notices", {"collaboration": world.a.pk, "body": "Text"})
    assert missing.status_code == 422
    assert any("title" in err["loc"] for err in missing.json()["detail"])
    bad_level = api(
        "ledamot",
        "post",
        "/api/v1/notices",
        {
            "collaboration": world.a.pk,
            "title": "x",
            "body": "y",
            "level": "begransad",
            "restricted_to": ["polis"],
        },
    )
    assert bad_level.status_code == 422
    assert bad_level.json()["detail"][0]["loc"] == ["body", "restricted_to"]
    assert Notice.objects.filter(title="x").count() == 0


def test_lasare_cannot_post_but_sees_403_only_for_visible_collaboration(api, world):
    response = api(
        "lasare", "post", "/api/v1/notices", {"collaboration": world.a.pk, "title": "x", "body": "y"}
    )
    assert response.status_code == 403
    assert "detail" in response.json()
    response = api(
        "lasare", "post", "/api/v1/notices", {"collaboration": world.b.pk, "title": "x", "body": "y"}
    )
    assert response.status_code == 404


def test_patch_and_delete_notice_by_author(api, world):
    created = api(
        "ledamot", "post", "/api/v1/notices", {"collaboration": world.a.pk, "title": "A", "body": "B"}
    ).json()
    patched = api("ledamot", "patch", f"/api/v1/notices/{created['id']}", {"title": "A2"})
    assert patched.status_code == 200 and patched.json()["title"] == "A2"
    other = api("lasare", "patch", f"/api/v1/notices/{created['id']}", {"title": "A3"})
    assert other.status_code == 403
    assert api("ledamot", "delete", f"/api/v1/notices/{created['id']}").status_code == 204
    assert not Notice.objects.filter(pk=created["id"]).exists()


def test_begransad_notice_detail_is_404_for_ledamot(api, world):
    pk = world.notices[Level.BEGRANSAD].pk
    assert api("ledamot", "get", f"/api/v1/notices/{pk}").status_code == 404
    assert api("samordnare", "get", f"/api/v1/notices/{pk}").status_code == 200


def test_organisations_scoped_and_writable_by_samordnare(api, world):
    names = {o["name"] for o in api("ledamot", "get", "/api/v1/organisations").json()["items"]}
    assert names == {"Malå kommun – test"}
    assert api("ledamot", "get", f"/api/v1/organisations/{world.org_b.pk}").status_code == 404
    created = api(
        "samordnare",
        "post",
        "/api/v1/organisations",
        {"collaboration": world.a.pk, "name": "Malå IF", "kind": "forening", "home_kommun": "2418"},
    )
    assert created.status_code == 201, created.content
    assert world.a.participations.filter(organisation__name="Malå IF").exists()
    bad = api(
        "samordnare",
        "post",
        "/api/v1/organisations",
        {"collaboration": world.a.pk, "name": "X", "kind": "sekt"},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "kind"]
    forbidden = api(
        "ledamot",
        "post",
        "/api/v1/organisations",
        {"collaboration": world.a.pk, "name": "Y", "kind": "annan"},
    )
    assert forbidden.status_code == 403
    assert not Organisation.objects.filter(name__in=["X", "Y"]).exists()


def test_patch_collaboration_requires_samordnare(api, world):
    assert (
        api("ledamot", "patch", f"/api/v1/collaborations/{world.a.pk}", {"description": "x"}).status_code
        == 403
    )
    ok = api(
        "samordnare",
        "patch",
        f"/api/v1/collaborations/{world.a.pk}",
        # Not samordnare: the caller has no TOTP, so their own token would stop working (as it should).
        {"mfa_required_roles": ["ledamot", "polis"]},
    )
    assert ok.status_code == 200 and ok.json()["mfa_required_roles"] == ["ledamot", "polis"]
    bad = api("samordnare", "patch", f"/api/v1/collaborations/{world.a.pk}", {"mfa_required_roles": ["kung"]})
    assert bad.status_code == 422


def test_malformed_json_is_4xx(world, client):
    _t, raw = api_token_create(user=world.users["ledamot"], name="x")
    response = client.post(
        "/api/v1/notices",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert 400 <= response.status_code < 500


def test_every_schema_of_the_api_has_a_name_of_its_own():
    # OpenAPI names a component after its class: two schemas of one name in different modules silently
    # share one description (a meeting's ItemOut described the minutes' items, and the fuzz test found
    # responses that "violated" the other's schema).
    import pydantic

    from samverkan.api.api import api

    api.get_openapi_schema()  # imports every router's schemas
    seen: dict[str, str] = {}
    clashes = []

    def walk(cls: type) -> None:
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("samverkan.") and ".api" in sub.__module__:
                where = f"{sub.__module__}.{sub.__qualname__}"
                if sub.__name__ in seen and seen[sub.__name__] != where:
                    clashes.append((seen[sub.__name__], where))
                seen.setdefault(sub.__name__, where)
            walk(sub)

    walk(pydantic.BaseModel)
    assert not clashes
