"""The default lägesbild template shipped with the product.

Modelled on Länsstyrelsen Dalarna's monthly template: six areas, each asked about the last month.
The wording is ours. Loaded by ``samverkan load_reference`` (idempotent: created once, never rewritten;
revisions are new versions made in the product).
"""

from __future__ import annotations

from django.db import transaction

from samverkan.situation.models import Question, Section, Template

DEFAULT_TEMPLATE_NAME = "Månatlig lägesbild – sex områden"

SIX_AREAS = [
    (
        "Ordningsstörningar och otrygghet",
        "Vad har stört ordningen eller skapat otrygghet den senaste månaden – till exempel inbrott, buskörning, bränder eller skadegörelse?",
    ),
    (
        "Hot och våld",
        "Vilka hot eller våldsbrott, och vilka trender, har ni sett den senaste månaden – på allmän plats och i hemmen?",
    ),
    (
        "Extremism och kriminella nätverk",
        "Har ni sett tecken på våldsbejakande extremism, kriminella nätverk eller kriminella aktörer den senaste månaden – till exempel klotter, klistermärken, propaganda eller rekrytering?",
    ),
    (
        "Ungdomar och skolor",
        "Har det varit bråk eller oro på skolor, fritidsgårdar eller andra platser där unga finns? Vad har hänt?",
    ),
    (
        "Alkohol, narkotika, dopning och tobak",
        "Vilka tecken och trender har ni sett den senaste månaden när det gäller handel med eller bruk av alkohol, narkotika, dopning och tobak?",
    ),
    (
        "Hot mot kommunala tjänstepersoner och politiker",
        "Har någon utsatts för hot, våld eller trakasserier på grund av myndighetsbeslut, politiska beslut eller politisk tillhörighet?",
    ),
]

QUESTIONS_PER_AREA = [
    (Question.Kind.STATUS, "Hur är läget?", "Välj den färg som bäst beskriver den senaste månaden.", True),
    (Question.Kind.TREND, "Hur har det utvecklats jämfört med förra perioden?", "", True),
    (
        None,
        "",
        "Beskriv händelser och iakttagelser. Skriv inte namn eller andra uppgifter om enskilda personer.",
        False,
    ),
    (
        Question.Kind.PLACES,
        "Var? Ange platser i kommunen.",
        "Till exempel en skola, ett torg eller en busshållplats.",
        False,
    ),
]


@transaction.atomic
def ensure_default_template() -> Template:
    """The shipped template (version 1), created if missing."""
    existing = (
        Template.objects.filter(collaboration__isnull=True, name=DEFAULT_TEMPLATE_NAME)
        .order_by("version")
        .first()
    )
    if existing is not None:
        return existing
    template = Template.objects.create(
        name=DEFAULT_TEMPLATE_NAME,
        description=(
            "Sex områden som tillsammans fångar social oro och brottslighet i en kommun. Varje aktör svarar "
            "för den senaste månaden."
        ),
    )
    for order, (title, question) in enumerate(SIX_AREAS, start=1):
        section = Section.objects.create(template=template, order=order, title=title)
        for q_order, (kind, text, help_text, required) in enumerate(QUESTIONS_PER_AREA, start=1):
            Question.objects.create(
                section=section,
                order=q_order,
                kind=kind or Question.Kind.TEXT,
                text=text or question,
                help_text=help_text,
                required=required,
            )
    return template
