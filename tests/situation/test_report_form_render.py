"""The report form renders its ~130 widgets through core.formrender.WidgetRenderer (no template per
widget), and the page is byte for byte what Django's template renderer makes of it."""

from __future__ import annotations

import re

import pytest

from samverkan.situation.services.rounds import report_get_or_create
from tests.situation.test_rounds_views import all_required, edit_url, form_data


@pytest.fixture
def report(world, open_round):
    return report_get_or_create(
        round_=open_round, organisation=world.org_a, acting_user=world.users["ledamot"]
    )


def _page(world, report) -> str:
    response = world.client("ledamot").get(edit_url(report))
    assert response.status_code == 200
    # The CSRF token (in the form and htmx's headers) is masked anew on every render.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<token>", response.content.decode())


def test_the_report_form_is_the_same_markup_as_with_django_s_renderer(world, open_round, report, settings):
    data = {**form_data(open_round, level="begransad"), **all_required(open_round), "action": "save"}
    assert world.client("ledamot").post(edit_url(report), data).status_code == 302
    assert settings.FORM_RENDERER == "samverkan.core.formrender.WidgetRenderer"
    ours = _page(world, report)
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    django_s = _page(world, report)
    assert 'type="radio"' in ours and "checked" in ours and "<select" in ours and 'type="hidden"' in ours
    assert ours == django_s
