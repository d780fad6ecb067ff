"""Demo analysis: Älvdalen raises two problems from its latest agreed joint picture and analyses each.

Both go through the services, as a samordnare would: raised from the picture's area summary (the
evidence link made by the raise), completed, scored on Brå's criteria, with the triangle, a working
hypothesis and a small cause tree. Loaded once: a collaboration that has problems is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samverkan.analysis import services
from samverkan.analysis.models import Problem
from samverkan.core.models import Collaboration
from samverkan.situation.models import PictureItem, PictureVersion

ALVDALEN = "Älvdalens kommun och LPO Mora"


@dataclass(frozen=True)
class DemoProblem:
    area: str
    title: str
    where: str
    when: str
    affected: str
    scores: dict[str, int]
    triangle: dict[str, Any]
    # (bone, direct cause, its causes)
    causes: tuple[tuple[str, str, tuple[str, ...]], ...]


PROBLEMS = (
    DemoProblem(
        area="unga",
        title="Unga som samlas och skapar otrygghet vid busstationen",
        where="Busstationen och skolan i Älvdalen",
        when="Fredags- och lördagskvällar, mest under hösten",
        affected="Resenärer, boende nära busstationen, yngre elever",
        scores={
            "score_frequency": 2,
            "score_trend": 3,
            "score_signal": 3,
            "score_affected": 2,
            "score_consequences": 2,
            "score_resources": 2,
            "score_influence": 3,
            "score_cost": 2,
        },
        triangle={
            "offender": "Grupper av unga 14–17 år, några med mopeder",
            "handler": "Föräldrar, skolan, fritidsgården, socialtjänstens fältare",
            "target": "Resenärer och yngre elever som väntar på bussen",
            "guardian": "Busschaufförer, trygghetsvärdar, vuxna som rör sig i området",
            "place": "Busstationen och skolgården kvällstid",
            "manager": "Kommunens fastighetsavdelning och trafikhuvudmannen",
            "hypothesis": (
                "De unga samlas vid busstationen för att fritidsgården är stängd på helgkvällar och "
                "platsen är mörk och obevakad; öppen fritidsgård och belysning bör minska samlingarna."
            ),
        },
        causes=(
            (
                "garningsperson",
                "Ingen öppen fritidsgård på helgkvällar",
                ("Fritidsgårdens budget minskades 2025",),
            ),
            (
                "plats",
                "Busstationen är mörk och saknar vuxennärvaro",
                ("Belysningen byts inte ut när den går sönder",),
            ),
            ("brottsutsatt", "Yngre elever väntar ensamma på sena bussar", ()),
        ),
    ),
    DemoProblem(
        area="extremism",
        title="Gängsymboler och rekrytering av unga till kriminella nätverk",
        where="Skolan och centrum i Älvdalen",
        when="Sedan hösten, främst efter skoltid",
        affected="Unga som rekryteras, deras familjer, skolans elever",
        scores={
            "score_frequency": 1,
            "score_trend": 2,
            "score_signal": 3,
            "score_affected": 1,
            "score_consequences": 3,
            "score_resources": 1,
            "score_influence": 2,
            "score_cost": 2,
        },
        triangle={
            "offender": "Äldre personer i nätverk utanför kommunen som rekryterar via sociala medier",
            "handler": "Polisen, socialtjänsten, föräldrar",
            "target": "Unga med svag skolanknytning",
            "guardian": "Skolan, elevhälsan, idrottsföreningar",
            "place": "Skolan, centrum och sociala medier",
            "manager": "Skolan och centrumets fastighetsägare",
            "hypothesis": (
                "Rekryteringen når unga som saknar sammanhang efter skoltid; tidiga samtal och "
                "meningsfull fritid minskar hur många som lockas."
            ),
        },
        causes=(
            ("garningsperson", "Nätverk utifrån söker nya kurirer", ()),
            (
                "brottsutsatt",
                "Unga med svag skolanknytning saknar sammanhang",
                ("Få aktiviteter efter skoltid",),
            ),
            ("plats", "Klotter med symboler får sitta kvar", ()),
        ),
    ),
)


def _source(version: PictureVersion, area: str) -> PictureItem | None:
    """The area's summary in the agreed version (else its most serious cell)."""
    items = PictureItem.objects.filter(version=version, area_code=area)
    return (
        items.filter(kind=PictureItem.Kind.SUMMARY).first()
        or items.filter(kind=PictureItem.Kind.CELL).order_by("-status", "id").first()
    )


def _analyse(
    collaboration: Collaboration, item: PictureItem, spec: DemoProblem, samordnare: Any, day: dt.date
) -> None:
    problem = services.problem_raise_from_item(collaboration=collaboration, item=item, acting_user=samordnare)
    services.problem_update(
        problem=problem,
        acting_user=samordnare,
        title=spec.title,
        where=spec.where,
        when=spec.when,
        affected=spec.affected,
        scores=spec.scores,
        scored_by="REK-gruppen",
        scored_on=day,
    )
    services.analysis_save(problem=problem, acting_user=samordnare, **spec.triangle)
    for bone, text, why in spec.causes:
        direct = services.cause_save(problem=problem, acting_user=samordnare, text=text, bone=bone)
        for indirect in why:
            services.cause_save(problem=problem, acting_user=samordnare, text=indirect, parent=direct)


@transaction.atomic
def load_demo_analysis(samordnare_for: dict[str, Any]) -> None:
    collaboration = Collaboration.objects.filter(name=ALVDALEN).first()
    samordnare = samordnare_for.get(ALVDALEN)
    if (
        collaboration is None
        or samordnare is None
        or Problem.objects.filter(collaboration=collaboration).exists()
    ):
        return
    version = (
        PictureVersion.objects.filter(collaboration=collaboration)
        .order_by("-meeting_date", "-number")
        .first()
    )
    if version is None:
        return
    for spec in PROBLEMS:
        item = _source(version, spec.area)
        if item is not None:
            _analyse(collaboration, item, spec, samordnare, version.meeting_date)


__all__ = ["ALVDALEN", "PROBLEMS", "load_demo_analysis"]
