"""The API test client: ``api(persona, method, path, data=None)`` calls ``/api/v1`` + path with that
persona's Bearer token (one token per persona per test; "anonymous" sends none)."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.core.services import api_token_create

BASE = "/api/v1"


@pytest.fixture
def api(world, client):  # type: ignore[no-untyped-def]
    tokens: dict[str, str] = {}

    def call(persona: str, method: str, path: str, data: Any = None) -> Any:
        headers = {}
        if persona != "anonymous":
            if persona not in tokens:
                tokens[persona] = api_token_create(user=world.users[persona], name="test")[1]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[persona]}"
        fn = getattr(client, method)
        if data is not None:
            return fn(BASE + path, data=data, content_type="application/json", **headers)
        return fn(BASE + path, **headers)

    return call


def validation_errors(response: Any) -> dict[str, str]:
    """A 422's field errors as {field: message}."""
    assert response.status_code == 422, response.content
    return {str(err["loc"][-1]): err["msg"] for err in response.json()["detail"]}
