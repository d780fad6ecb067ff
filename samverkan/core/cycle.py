"""The steps of knowledge-based crime prevention, which the collaboration home navigates by."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: Promise
    summary: Promise
    # The page that does this step, once the tool has one (a URL name taking the collaboration id).
    url_name: str = ""


STEPS = (
    Step(
        1,
        "fakta",
        _("Samla fakta"),
        _("Varje part tar fram sin egen bild: statistik, händelser, iakttagelser och enkäter."),
        "situation:round_list",
    ),
    Step(
        2,
        "lagesbild",
        _("Gemensam lägesbild"),
        _("Parterna enas om en gemensam bild av de lokala problemen."),
        "situation:picture_list",
    ),
    Step(
        3,
        "orsaksanalys",
        _("Orsaksanalys"),
        _("Varför uppstår problemen? Gärningsperson, brottsoffer, plats och väktare."),
        "analysis:problem_list",
    ),
    Step(
        4,
        "atgardsplan",
        _("Åtgärdsplan"),
        _("Konkreta åtgärder med ansvarig, tidsram och önskad effekt."),
        "actions:plan_list",
    ),
    Step(
        5,
        "genomforande",
        _("Genomförande"),
        _("Arbetet genomförs, fördelat som uppdrag fram till nästa möte."),
        "actions:workorder_list",
    ),
    Step(
        6,
        "uppfoljning",
        _("Uppföljning och utvärdering"),
        _("Röd, gul eller grön vid varje möte; en årlig utvärdering redovisas för de förtroendevalda."),
        "actions:followup_sheet",
    ),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
