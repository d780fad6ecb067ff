"""Security headers: a strict CSP everywhere, Permissions-Policy, and no-store for signed-in users."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

import samverkan
from samverkan.core.services import api_token_create

ERROR_PAGE = Path(samverkan.__file__).parent / "templates" / "500.html"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_has_a_strict_policy(client, db):
    response = client.get("/konto/login/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    assert (
        "geolocation=()" in response["Permissions-Policy"] and "camera=()" in response["Permissions-Policy"]
    )


def test_the_error_page_style_is_allowed_by_its_hash():
    style = re.search(r"<style>(.*?)</style>", ERROR_PAGE.read_text(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


def test_no_other_template_has_inline_script_style_or_handlers():
    root = Path(samverkan.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        if template == ERROR_PAGE:
            text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", text) or re.search(
            r"<style\b|\sstyle=\"|\son[a-z]+=\"", text
        ):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


def test_signed_in_pages_are_not_stored(world):
    client = world.client("samordnare")
    response = client.get(f"/samverkan/{world.a.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_api_answers_to_a_token_are_not_stored(world, client):
    _, token = api_token_create(user=world.users["ledamot"], name="test")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_exports_with_confidential_content_are_not_stored(world):
    client = world.client("samordnare")
    round_ = world.situation["A"]["round"]
    response = client.get(reverse("situation:picture_xlsx", args=[world.a.pk, round_.pk]))
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
