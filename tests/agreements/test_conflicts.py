"""Two samordnare editing the same agreement text in its form: the second save from the version both
loaded gets the conflict page with both texts (409) and the first text stays; saving the page again,
knowingly, goes through. Before versions the second save silently replaced the first."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samverkan.agreements.models import Agreement, CitizenPromise, FocusArea, Group
from tests.forms import page_form, posted


def _agreement(world) -> Agreement:
    return world.agreements["A"]["agreement"]


def _focus_area(world) -> FocusArea:
    return FocusArea.objects.get(agreement=_agreement(world), title__endswith="OPPEN fokus")


CASES = {
    "agreement": (
        lambda w: reverse("agreements:agreement_edit", args=[w.a.pk, _agreement(w).pk]),
        lambda w: Agreement.objects.get(pk=_agreement(w).pk),
        "purpose",
    ),
    "focus_area": (
        lambda w: reverse("agreements:focus_area_edit", args=[w.a.pk, _agreement(w).pk, _focus_area(w).pk]),
        lambda w: FocusArea.objects.get(pk=_focus_area(w).pk),
        "description",
    ),
    "group": (
        lambda w: reverse("agreements:group_edit", args=[w.a.pk, w.agreements["A"]["group"].pk]),
        lambda w: Group.objects.get(pk=w.agreements["A"]["group"].pk),
        "purpose",
    ),
    "promise": (
        lambda w: reverse("agreements:promise_edit", args=[w.a.pk, w.agreements["A"]["promise"].pk]),
        lambda w: CitizenPromise.objects.get(pk=w.agreements["A"]["promise"].pk),
        "text",
    ),
}
# A focus area of an agreement in force changes with a reason; the other forms have no such field.
REASON = {"reason": "Ny inriktning efter mötet"}


@pytest.mark.parametrize("case", list(CASES))
def test_a_stale_form_save_shows_both_texts_and_keeps_the_first(world, samordnare2, case):
    url_of, row_of, field = CASES[case]
    url = url_of(world)
    anna, bertil = world.client("samordnare"), world.client("samordnare2")
    annas_form, bertils_form = page_form(anna, url), page_form(bertil, url)
    assert annas_form["version"].value() == 1

    saved = anna.post(url, posted(annas_form, **{field: "Annas text"}, **REASON))
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    assert row_of(world).version == 2

    response = bertil.post(url, posted(bertils_form, **{field: "Bertils text"}, **REASON))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat samtidigt" in html
    assert "Sparat nu (version 2)" in html and "Din text (inte sparad)" in html
    assert "Annas text" in html and "Bertils text" in html
    assert getattr(row_of(world), field) == "Annas text"

    # The conflict page's form holds Bertil's text on version 2: saving it again is his choice.
    again_form: Any = response.context["form"]
    assert again_form["version"].value() == "2"
    assert again_form[field].value() == "Bertils text"
    assert bertil.post(url, posted(again_form, **REASON)).status_code == 302
    assert (getattr(row_of(world), field), row_of(world).version) == ("Bertils text", 3)


def test_creating_is_not_versioned(world):
    """A new row's form has no version (the create services take none)."""
    url = reverse("agreements:group_create", args=[world.a.pk])
    assert "version" not in page_form(world.client("samordnare"), url).fields
