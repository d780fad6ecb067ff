"""Posting a form as the browser would, from the page the test client just loaded."""

from __future__ import annotations

from typing import Any


def posted(form: Any, **changes: Any) -> dict[str, Any]:
    """Every field of ``form`` with the value it shows (bound data or initial, hidden version too),
    then ``changes``: what a writer who loaded the page and edited it sends."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue  # an empty input or an unticked box sends nothing
        data[field.html_name] = value
    data.update(changes)
    return data


def page_form(client: Any, url: str) -> Any:
    """The form of the page at ``url`` (from the template context)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.context["form"]
