"""Demo problems and cause analyses: Älvdalen raises two problems from its agreed joint pictures.

Written in our own words from the demo story (situation/demo.py); run once (looked up by title).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from samverkan.analysis.models import Cause, Problem
from samverkan.analysis.services.causes import analysis_save, cause_save
from samverkan.analysis.services.problems import problem_raise_from_item, problem_save, problem_score
from samverkan.core.models import Collaboration
from samverkan.situation.models import PictureItem

ALVDALEN = "Älvdalens kommun och LPO Mora"
B = Cause.Bone

# (area, the month of the agreed picture it is raised from, the problem, scores, the triangle, causes)
# Causes: (bone, text, evidence, children as (text, evidence)).
PROBLEMS: list[dict[str, Any]] = [
    {
        "area": "ordning",
        "month": dt.date(2026, 2, 1),
        "title": "Stök och våld kring uteställena i Idre fjäll under sportlovsveckorna",
        "description": (
            "Varje sportlov ökar ordningsstörningarna, bråken och misshandelsfallen kring krogarna i Idre "
            "fjäll sena kvällar. Säsongspersonalen har blivit hotad av berusade gäster."
        ),
        "where": "Idre fjäll, kring uteställena och köerna till dem",
        "when": "Sportlovsveckorna, fredag och lördag kl. 23–03",
        "affected": "Besökare, säsongspersonal och ordningsvakter",
        "scores": [3, 3, 2, 2, 2, 2, 3, 2],
        "triangle": {
            "offender": "Unga vuxna besökare, ofta kraftigt berusade efter förfester i stugorna.",
            "handler": "Sällskapen själva, stuguthyrarna som möter dem vid ankomsten.",
            "target": "Andra besökare i köerna och personalen vid entréerna.",
            "guardian": "Ordningsvakter och personal med utbildning i ansvarsfull alkoholservering.",
            "place": "Trånga köer utanför tre uteställen som stänger samtidigt.",
            "manager": "Krögarna, fastighetsägaren och kommunens alkoholhandläggare.",
            "hypothesis": (
                "Förfester och samtidig stängning samlar många berusade på en liten yta; färre berusade i "
                "köerna och utspridd stängning minskar bråken."
            ),
        },
        "causes": [
            (
                B.GARNINGSPERSON,
                "Hög berusning redan vid ankomsten till krogen",
                "Polisens och vakternas iakttagelser sportlovet 2026",
                [("Förfester i stugorna före krogbesöket", "Stuguthyrarnas erfarenheter")],
            ),
            (
                B.PLATS,
                "Alla uteställen stänger samtidigt och köerna blir trånga",
                "Räddningstjänstens tillsyn",
                [],
            ),
            (
                B.BROTTSUTSATT,
                "Säsongspersonal saknar stöd när gäster hotar dem",
                "Arbetsgivarnas rapporter",
                [("Ingen gemensam rutin för att larma vakter eller polis", "")],
            ),
        ],
    },
    {
        "area": "unga",
        "month": dt.date(2026, 10, 1),
        "title": "Oro och slagsmål bland högstadieelever i skolan och vid busstationen",
        "description": (
            "Under hösten har slagsmål på rasterna, hot i sociala medier och otrygghet vid busstationen efter "
            "skoltid ökat bland eleverna på högstadiet."
        ),
        "where": "Skolan i Älvdalen och busstationen",
        "when": "Raster och eftermiddagar efter skoltid, höstterminen",
        "affected": "Elever i årskurs 7–9",
        "scores": [2, 3, 2, 2, 3, 3, 3, 3],
        "triangle": {
            "offender": "Två elevgrupper i konflikt med varandra.",
            "handler": "Vårdnadshavare, mentorer och fritidsgårdens personal.",
            "target": "Elever som väntar på bussen efter skolan.",
            "guardian": "Vuxna i korridorerna och vid busstationen.",
            "place": "Busstationen, där ingen vuxen finns efter kl. 15.",
            "manager": "Kommunens skola och fritid, och länstrafiken som ansvarar för stationen.",
            "hypothesis": "Fler vuxna på plats efter skoltid och samtal med de två grupperna minskar konflikterna.",
        },
        "causes": [
            (
                B.GARNINGSPERSON,
                "Konflikt mellan två elevgrupper som trappas upp i sociala medier",
                "Skolans kränkningsanmälningar hösten 2026",
                [("Konflikten har inte fångats upp av vuxna i tid", "")],
            ),
            (B.PLATS, "Ingen vuxen närvaro vid busstationen efter skoltid", "Elevernas egna berättelser", []),
        ],
    },
]


def _item(collaboration: Collaboration, area: str, month: dt.date) -> PictureItem | None:
    """The area summary (else a cell) of the agreed picture of that month."""
    items = PictureItem.objects.filter(
        collaboration=collaboration, version__picture__round__period_start=month, area_code=area
    ).order_by("-version__number")
    return (
        items.filter(kind=PictureItem.Kind.SUMMARY).first()
        or items.filter(kind=PictureItem.Kind.CELL).first()
    )


def load_demo_problems(samordnare_for: dict[str, Any]) -> None:
    user = samordnare_for.get(ALVDALEN)
    collaboration = Collaboration.objects.filter(name=ALVDALEN).first()
    if user is None or collaboration is None:
        return
    for spec in PROBLEMS:
        if Problem.objects.filter(collaboration=collaboration, title=spec["title"]).exists():
            continue
        item = _item(collaboration, spec["area"], spec["month"])
        raised = (
            problem_raise_from_item(collaboration=collaboration, item=item, acting_user=user)
            if item
            else None
        )
        problem = problem_save(
            collaboration=collaboration,
            problem=raised,
            acting_user=user,
            title=spec["title"],
            description=spec["description"],
            where=spec["where"],
            when=spec["when"],
            affected=spec["affected"],
            area_code=spec["area"],
            level=raised.level if raised else None,
        )
        names = [
            "score_frequency",
            "score_trend",
            "score_signal",
            "score_affected",
            "score_consequences",
            "score_resources",
            "score_influence",
            "score_cost",
        ]
        problem_score(
            problem=problem,
            acting_user=user,
            scores=dict(zip(names, spec["scores"], strict=True)),
            scored_by="Arbetsgrupp BRÅ",
            scored_on=spec["month"] + dt.timedelta(days=40),
        )
        analysis_save(problem=problem, acting_user=user, **spec["triangle"])
        for bone, text, evidence, children in spec["causes"]:
            cause = cause_save(
                problem=problem, acting_user=user, text=text, bone=bone, evidence_note=evidence
            )
            for child_text, child_evidence in children:
                cause_save(
                    problem=problem,
                    acting_user=user,
                    text=child_text,
                    bone=bone,
                    evidence_note=child_evidence,
                    parent=cause,
                )
