"""Two samordnare saving the same area summary on the picture page: the second save from an old version
shows the conflict page with both texts and the first text stays. Before versions the second save
silently replaced the first."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samverkan.core.models import Level
from samverkan.situation.models import AreaSummary, Section


def _summary(world) -> AreaSummary:
    return AreaSummary.objects.get(picture__round=world.situation["A"]["round"], section__area_code="vald")


def _post(world, persona: str, text: str, version: int | None) -> Any:
    round_ = world.situation["A"]["round"]
    section = Section.objects.get(template=round_.template, area_code="vald")
    prefix = f"omrade-{section.pk}"
    data = {"section": section.pk, f"{prefix}-text": text, f"{prefix}-level": Level.INTERN}
    if version is not None:
        data[f"{prefix}-version"] = version
    url = reverse(
        "situation:picture_summary_save", kwargs={"collaboration_id": world.a.pk, "round_id": round_.pk}
    )
    return world.client(persona).post(url, data)


def test_the_summary_form_carries_the_version(world):
    round_ = world.situation["A"]["round"]
    section = Section.objects.get(template=round_.template, area_code="vald")
    page = world.client("samordnare").get(
        reverse("situation:picture_detail", kwargs={"collaboration_id": world.a.pk, "round_id": round_.pk})
    )
    html = page.content.decode()
    assert f'name="omrade-{section.pk}-version" value="1"' in html
    # An area without a summary: version 0 (the writer saw none).
    other = Section.objects.get(template=round_.template, area_code="ordning")
    assert f'name="omrade-{other.pk}-version" value="0"' in html


def test_a_stale_form_save_shows_both_texts_and_keeps_the_first(world, samordnare2):
    assert _post(world, "samordnare", "Annas text", 1).status_code == 302
    response = _post(world, "samordnare2", "Bertils text", 1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Någon annan har ändrat samtidigt" in html
    assert "Sparat nu (version 2)" in html and "Din text (inte sparad)" in html
    assert "Annas text" in html and "Bertils text" in html
    round_ = world.situation["A"]["round"]
    section = Section.objects.get(template=round_.template, area_code="vald")
    # The form holds the writer's own text, now on version 2: saving it again is a knowing choice.
    assert f'name="omrade-{section.pk}-version" value="2"' in html
    assert _summary(world).text == "Annas text"
    assert _post(world, "samordnare2", "Annas och Bertils text", 2).status_code == 302
    assert _summary(world).text == "Annas och Bertils text"
