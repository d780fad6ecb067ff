"""Swedish that reads as one product: allauth's words overridden to ours (samverkan/locale/sv), the
admin's sections named in Swedish, English for every section in the English catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.apps import apps
from django.utils import translation

from samverkan.core.registry import SamverkanAppConfig
from tests.factories import UserFactory

ALLAUTH_SV = Path(allauth.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
# Spellings and words of allauth's Swedish that are not the product's (e-post, e-postadress,
# tvåstegsverifiering).
NOT_OURS = re.compile(r"\b[Ee]post|tvåfaktor|\bMFA\b|\bmail(et)?\b", re.IGNORECASE)


def _shown(entry: polib.POEntry) -> list[str]:
    """What the running site says for one of allauth's strings in Swedish."""
    if entry.msgid_plural:
        return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
    if entry.msgctxt:
        return [translation.pgettext(entry.msgctxt, entry.msgid)]
    return [translation.gettext(entry.msgid)]


def test_no_allauth_string_uses_words_that_are_not_ours():
    # Before: "Epost-adress", "Tvåfaktorsautentisering", "MFA" beside our "E-postadress", "Tvåstegsverifiering".
    clashes = []
    with translation.override("sv"):
        for entry in polib.pofile(str(ALLAUTH_SV)):
            if entry.obsolete:
                continue
            for text in _shown(entry):
                if NOT_OURS.search(re.sub(r"%\([a-z_]+\)s|\{[a-z_]+\}|mailto:", "", text)):
                    clashes.append(f"{entry.msgid!r} → {text!r}")
    assert not clashes, "Add to samverkan/locale/sv/LC_MESSAGES/django.po:\n" + "\n".join(clashes)


def test_the_overrides_win_and_the_rest_of_allauth_stays():
    with translation.override("sv"):
        assert translation.gettext("Email address") == "E-postadress"
        assert translation.gettext("Two-Factor Authentication") == "Tvåstegsverifiering"
        assert translation.gettext("Password") == "Lösenord"  # not overridden: allauth's own
    with translation.override("en"):
        assert translation.gettext("Email address") == "Email address"


def test_login_page_says_e_post(client, db):
    body = client.get("/konto/login/").content.decode()
    assert "E-post" in body and "Epost" not in body


@pytest.mark.django_db
def test_admin_sections_are_named_in_swedish(client):
    operator = UserFactory(username="drift", email="drift@example.org", is_superuser=True, is_staff=True)
    client.force_login(operator)
    body = client.get("/admin/").content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", body)
    # Before: "Indicators", "Situation" and "MFA" beside the Swedish sections.
    assert "Statistik" in captions and "Lägesbild" in captions and "Tvåstegsverifiering" in captions
    assert not {"Indicators", "Situation", "MFA", "Agreements"} & set(captions)


def test_every_app_of_ours_has_a_swedish_name_and_an_english_one():
    # The bench harness has no models and its strings stay out of the catalogue (makemessages ignores it).
    ours = [
        config
        for config in apps.get_app_configs()
        if isinstance(config, SamverkanAppConfig) and config.label != "bench"
    ]
    assert len(ours) >= 10
    for config in ours:
        with translation.override("sv"):
            swedish = str(config.verbose_name)
        with translation.override("en"):
            english = str(config.verbose_name)
        assert swedish != config.label.title(), f"{config.name} has no verbose_name"
        assert english != swedish or swedish == "API", f"{config.name}: {swedish!r} has no English"
    with translation.override("en"):
        assert str(apps.get_app_config("indicators").verbose_name) == "Statistics"
