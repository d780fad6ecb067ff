"""The six lägesbild areas, the shared vocabulary of the cycle.

Modelled on Länsstyrelsen Dalarna's monthly template; the wording is ours. The area code links a
template section, an event category, a police event type, a crime code and (later) a problem or an
action to the same area, so every app reads them from here.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

SIX_AREAS: list[tuple[str, str, str]] = [
    (
        "ordning",
        gettext_noop("Ordningsstörningar och otrygghet"),
        gettext_noop(
            "Vad har stört ordningen eller skapat otrygghet den senaste månaden – till exempel inbrott, buskörning, bränder eller skadegörelse?"
        ),
    ),
    (
        "vald",
        gettext_noop("Hot och våld"),
        gettext_noop(
            "Vilka hot eller våldsbrott, och vilka trender, har ni sett den senaste månaden – på allmän plats och i hemmen?"
        ),
    ),
    (
        "extremism",
        gettext_noop("Extremism och kriminella nätverk"),
        gettext_noop(
            "Har ni sett tecken på våldsbejakande extremism, kriminella nätverk eller kriminella aktörer den senaste månaden – till exempel klotter, klistermärken, propaganda eller rekrytering?"
        ),
    ),
    (
        "unga",
        gettext_noop("Ungdomar och skolor"),
        gettext_noop(
            "Har det varit bråk eller oro på skolor, fritidsgårdar eller andra platser där unga finns? Vad har hänt?"
        ),
    ),
    (
        "ant",
        gettext_noop("Alkohol, narkotika, dopning och tobak"),
        gettext_noop(
            "Vilka tecken och trender har ni sett den senaste månaden när det gäller handel med eller bruk av alkohol, narkotika, dopning och tobak?"
        ),
    ),
    (
        "tjansteman",
        gettext_noop("Hot mot kommunala tjänstepersoner och politiker"),
        gettext_noop(
            "Har någon utsatts för hot, våld eller trakasserier på grund av myndighetsbeslut, politiska beslut eller politisk tillhörighet?"
        ),
    ),
]

AREA_CODES: list[str] = [code for code, _title, _question in SIX_AREAS]
# The stored (Swedish) titles: keys of the data. What a reader sees goes through area_title/area_choices.
AREA_TITLES: dict[str, str] = {code: title for code, title, _question in SIX_AREAS}
AREA_ORDER: dict[str, int] = {code: index for index, code in enumerate(AREA_CODES)}


def area_title(code: str) -> str:
    """An area's title in the active language; an unknown code as it is."""
    return gettext(AREA_TITLES[code]) if code in AREA_TITLES else code


def area_choices() -> list[tuple[str, str]]:
    """(code, title) pairs for a form or model field, in the active language."""
    return [(code, gettext(title)) for code, title, _question in SIX_AREAS]
