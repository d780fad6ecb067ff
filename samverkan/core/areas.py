"""The six lägesbild areas, the shared vocabulary of the cycle.

Modelled on Länsstyrelsen Dalarna's monthly template; the wording is ours. The area code links a
template section, an event category, a police event type, a crime code and (later) a problem or an
action to the same area, so every app reads them from here.
"""

from __future__ import annotations

SIX_AREAS: list[tuple[str, str, str]] = [
    (
        "ordning",
        "Ordningsstörningar och otrygghet",
        "Vad har stört ordningen eller skapat otrygghet den senaste månaden – till exempel inbrott, buskörning, bränder eller skadegörelse?",
    ),
    (
        "vald",
        "Hot och våld",
        "Vilka hot eller våldsbrott, och vilka trender, har ni sett den senaste månaden – på allmän plats och i hemmen?",
    ),
    (
        "extremism",
        "Extremism och kriminella nätverk",
        "Har ni sett tecken på våldsbejakande extremism, kriminella nätverk eller kriminella aktörer den senaste månaden – till exempel klotter, klistermärken, propaganda eller rekrytering?",
    ),
    (
        "unga",
        "Ungdomar och skolor",
        "Har det varit bråk eller oro på skolor, fritidsgårdar eller andra platser där unga finns? Vad har hänt?",
    ),
    (
        "ant",
        "Alkohol, narkotika, dopning och tobak",
        "Vilka tecken och trender har ni sett den senaste månaden när det gäller handel med eller bruk av alkohol, narkotika, dopning och tobak?",
    ),
    (
        "tjansteman",
        "Hot mot kommunala tjänstepersoner och politiker",
        "Har någon utsatts för hot, våld eller trakasserier på grund av myndighetsbeslut, politiska beslut eller politisk tillhörighet?",
    ),
]

AREA_CODES: list[str] = [code for code, _title, _question in SIX_AREAS]
AREA_TITLES: dict[str, str] = {code: title for code, title, _question in SIX_AREAS}
AREA_ORDER: dict[str, int] = {code: index for index, code in enumerate(AREA_CODES)}


def area_choices() -> list[tuple[str, str]]:
    """(code, title) pairs for a form or model field."""
    return [(code, title) for code, title, _question in SIX_AREAS]
