"""The default lägesbild template shipped with the product.

Modelled on Länsstyrelsen Dalarna's monthly template: six areas, each asked about the last month.
The wording is ours. Loaded by ``samverkan load_reference`` (idempotent: created once, never rewritten;
revisions are new versions made in the product).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from samverkan.core.areas import SIX_AREAS
from samverkan.situation.models import EventCategory, Question, Section, Template

# Stored in Swedish and shown through core.shipped: every text here is marked for the English catalogue.
DEFAULT_TEMPLATE_NAME = gettext_noop("Månatlig lägesbild – sex områden")
DEFAULT_TEMPLATE_DESCRIPTION = gettext_noop(
    "Sex områden som tillsammans fångar social oro och brottslighet i en kommun. Varje aktör svarar för den "
    "senaste månaden."
)

QUESTIONS_PER_AREA = [
    (
        Question.Kind.STATUS,
        gettext_noop("Hur är läget?"),
        gettext_noop("Välj den färg som bäst beskriver den senaste månaden."),
        True,
    ),
    (Question.Kind.TREND, gettext_noop("Hur har det utvecklats jämfört med förra perioden?"), "", True),
    (
        None,
        "",
        gettext_noop(
            "Beskriv händelser och iakttagelser. Skriv inte namn eller andra uppgifter om enskilda personer."
        ),
        False,
    ),
    (
        Question.Kind.PLACES,
        gettext_noop("Var? Ange platser i kommunen."),
        gettext_noop("Till exempel en skola, ett torg eller en busshållplats."),
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
        _backfill_area_codes(existing)
        return existing
    template = Template.objects.create(
        name=DEFAULT_TEMPLATE_NAME,
        description=DEFAULT_TEMPLATE_DESCRIPTION,
    )
    for order, (code, title, question) in enumerate(SIX_AREAS, start=1):
        section = Section.objects.create(template=template, order=order, title=title, area_code=code)
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


def _backfill_area_codes(template: Template) -> None:
    """Installations made before areas had codes get them (matched by the shipped titles)."""
    for code, title, _question in SIX_AREAS:
        template.sections.filter(title=title, area_code="").update(area_code=code)


# Shipped event categories: (name, area code). Collaborations add their own in the product.
EVENT_CATEGORIES = [
    (gettext_noop("Skadegörelse och klotter"), "ordning"),
    (gettext_noop("Ordningsstörning"), "ordning"),
    (gettext_noop("Inbrott eller stöld"), "ordning"),
    (gettext_noop("Brand eller anlagd brand"), "ordning"),
    (gettext_noop("Buskörning eller trafikstörning"), "ordning"),
    (gettext_noop("Otrygg plats"), "ordning"),
    (gettext_noop("Hot"), "vald"),
    (gettext_noop("Misshandel eller annat våld"), "vald"),
    (gettext_noop("Våld i nära relation"), "vald"),
    (gettext_noop("Sexualbrott"), "vald"),
    (gettext_noop("Propaganda, symboler eller klistermärken"), "extremism"),
    (gettext_noop("Tecken på kriminellt nätverk"), "extremism"),
    (gettext_noop("Bråk eller oro vid skola eller fritidsgård"), "unga"),
    (gettext_noop("Ungdomar i riskmiljö"), "unga"),
    (gettext_noop("Alkohol"), "ant"),
    (gettext_noop("Narkotika"), "ant"),
    (gettext_noop("Dopning eller tobak"), "ant"),
    (gettext_noop("Hot eller trakasserier mot tjänsteperson eller politiker"), "tjansteman"),
]


# The shipped categories whose events are never published one by one (EventCategory.sensitive), and why.
# An öppen output shows them only as a count per kommun and period; a collaboration marks its own
# categories sensitive in the admin. Migration 0004 marked these on databases made before.
SENSITIVE_EVENT_CATEGORIES = {
    # The victim lives with the offender: a date and a village point to one household.
    "Våld i nära relation": "pekar ut ett hushåll",
    # Victims are few and known locally; a place and a time are enough to name them.
    "Sexualbrott": "pekar ut den utsatta",
    # In a small kommun a handful of officials and politicians: the category alone narrows it to a few.
    "Hot eller trakasserier mot tjänsteperson eller politiker": "pekar ut en tjänsteperson eller politiker",
    # Children known to social services or the youth centre; a place and a date point to a few of them.
    "Ungdomar i riskmiljö": "pekar ut enskilda barn",
}


@transaction.atomic
def ensure_event_categories() -> None:
    """The shipped categories, created if missing (names are never rewritten, so admin edits stay)."""
    for order, (name, code) in enumerate(EVENT_CATEGORIES, start=1):
        EventCategory.objects.get_or_create(
            collaboration=None,
            name=name,
            defaults={"area_code": code, "order": order, "sensitive": name in SENSITIVE_EVENT_CATEGORIES},
        )
