"""Demo action plans: Malå's 2020–2022 plan followed up at every REK meeting, and Älvdalen's plan tied to
the problems it raised from its joint picture (analysis/demo.py). Our own words; run once (by title).

Malå's plan predates the cause analysis, so its actions say so; four follow-ups a year in all three
colours, and one action escalated (red twice in a row). Älvdalen's actions address causes, one with a
statistics indicator whose target is drawn on the indicator's chart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samverkan.actions.models import Action, ActionIndicator, ActionPlan, Rating
from samverkan.actions.services.actions import action_save
from samverkan.actions.services.followup import followup_record
from samverkan.actions.services.indicators import action_indicator_save
from samverkan.actions.services.plan import plan_decide, plan_save
from samverkan.actions.services.workorders import work_order_save
from samverkan.agreements.models import Agreement, FocusArea
from samverkan.analysis.models import Cause
from samverkan.core.models import Collaboration, Kommun, Organisation
from samverkan.indicators.models import Indicator

D = dt.date
MALA = "Malå kommun och LPO Skellefteå"
ALVDALEN = "Älvdalens kommun och LPO Mora"
NO_ANALYSIS = "Planen beslutades 2020, innan gruppen arbetade med orsaksanalys; åtgärden bygger på avtalets fokusområde."
REK_MEETINGS = [
    D(year, month, day) for year in (2020, 2021, 2022) for month, day in ((3, 12), (6, 11), (9, 10), (12, 10))
]
REASONS = {
    Rating.ROD: "Insatsen blev inte av som planerat; gruppen ändrar upplägget.",
    Rating.GUL: "Delvis genomförd; resultatet är under den nivå gruppen kom överens om.",
    Rating.GRON: "Genomförd och resultatet godkänt av gruppen.",
}
COLOURS = {"R": Rating.ROD, "Y": Rating.GUL, "G": Rating.GRON}

# (focus area, title, responsible, partners, kind, horizon, start, end, hours, cost, effect, ratings per
#  REK meeting ("-" = not followed up), what was done)
MALA_ACTIONS: list[tuple[Any, ...]] = [
    (
        "Narkotika",
        "Riktade kontroller mot narkotika under helger",
        "Polisen, LPO Skellefteå",
        [],
        Action.Kind.SITUATIONELL,
        Action.Horizon.KORT,
        D(2020, 1, 1),
        D(2022, 12, 31),
        240,
        None,
        "Fler upptäckta narkotikabrott och färre tillfällen att köpa narkotika i centrum.",
        "GGGYYGGGGGGG",
        "Kontroller under helgkvällar i centrum och vid fritidsgården",
    ),
    (
        "Narkotika",
        "Föräldramöten om droger i årskurs 7–9",
        "Malå kommun – skolan",
        ["Polisen, LPO Skellefteå"],
        Action.Kind.SOCIAL,
        Action.Horizon.LANG,
        D(2020, 1, 1),
        D(2022, 12, 31),
        60,
        Decimal(6000),
        "Föräldrar känner igen tecken på droganvändning och pratar med sina barn.",
        "YYGGGGYGGGGG",
        "Föräldramöten med polis och skolsköterska",
    ),
    (
        "Information mot brott och droger",
        "Gemensam trygghetsinformation vid Malådagarna",
        "Malå kommun – kommunledningen",
        ["Polisen, LPO Skellefteå", "Malå räddningstjänst"],
        Action.Kind.SOCIAL,
        Action.Horizon.KORT,
        D(2020, 5, 1),
        D(2022, 9, 30),
        80,
        Decimal(15000),
        "Fler invånare vet vart de vänder sig och deltar i trygghetsarbetet.",
        "-YGGGGGGGGGG",
        "Gemensamt tält med kommunen, polisen och räddningstjänsten",
    ),
    (
        "Riktade polisinsatser mot buskörning",
        "Riktade insatser mot buskörning i centrum och vid skolan",
        "Polisen, LPO Skellefteå",
        [],
        Action.Kind.SITUATIONELL,
        Action.Horizon.KORT,
        D(2020, 3, 1),
        D(2022, 12, 31),
        160,
        None,
        "Färre anmälningar om störande trafik i centrum.",
        "RRYYGGYGGGGG",
        "Trafikkontroller fredag och lördag kväll",
    ),
    (
        "Trafiksituationen vid skolan (situationella åtgärder)",
        "Säker avlämningsplats och farthinder vid skolan",
        "Malå kommun – kommunledningen",
        ["Malå kommun – skolan"],
        Action.Kind.SITUATIONELL,
        Action.Horizon.LANG,
        D(2020, 6, 1),
        D(2022, 12, 31),
        40,
        Decimal(350000),
        "Inga farliga situationer vid skolan när barnen lämnas och hämtas.",
        "-YYYRRYYYYRR",
        "Projektering av avlämningsplats och farthinder",
    ),
    (
        "Bedrägerier",
        "Informationsträffar för äldre om telefon- och nätbedrägerier",
        "Polisen, LPO Skellefteå",
        ["Malå församling"],
        Action.Kind.SOCIAL,
        Action.Horizon.KORT,
        D(2020, 10, 1),
        D(2022, 12, 31),
        50,
        Decimal(3000),
        "Äldre känner igen bedrägeriförsök och färre blir lurade.",
        "---YYGGGGYGG",
        "Träffar på träffpunkten och i kyrkans lokaler",
    ),
]


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _area(agreement: Agreement, title: str) -> FocusArea | None:
    return FocusArea.objects.filter(agreement=agreement, title=title).first()


def load_demo_plans(samordnare_for: dict[str, Any]) -> None:
    _mala(samordnare_for.get(MALA))
    _alvdalen(samordnare_for.get(ALVDALEN))


def _mala(user: Any) -> None:
    collaboration = Collaboration.objects.filter(name=MALA).first()
    agreement = Agreement.objects.filter(collaboration=collaboration, start_date=D(2020, 1, 1)).first()
    title = "Åtgärdsplan 2020–2022"
    if (
        user is None
        or collaboration is None
        or agreement is None
        or ActionPlan.objects.filter(collaboration=collaboration, title=title).exists()
    ):
        return
    plan = plan_save(
        collaboration=collaboration,
        agreement=agreement,
        title=title,
        description="REK-gruppens åtgärder för avtalsperioden, uppföljda vid varje möte.",
        start_date=agreement.start_date,
        end_date=agreement.end_date,
        level="oppen",
        acting_user=user,
    )
    created: list[tuple[Action, str, str, int]] = []
    for spec in MALA_ACTIONS:
        (
            area,
            action_title,
            responsible,
            partners,
            kind,
            horizon,
            start,
            end,
            hours,
            cost,
            effect,
            ratings,
            done,
        ) = spec
        if area == "Bedrägerier":
            # Fraud became a focus area in September 2020 (agreements/demo.py): the plan was decided again.
            plan_decide(
                plan=plan, decided_on=D(2020, 2, 10), decided_by="REK-gruppen i Malå", acting_user=user
            )
        action = action_save(
            plan=plan,
            title=action_title,
            responsible=_org(responsible),
            partners=[_org(p) for p in partners],
            focus_area=_area(agreement, area),
            kind=kind,
            horizon=horizon,
            start_date=start,
            end_date=end,
            planned_hours=Decimal(hours),
            planned_cost=cost,
            expected_effect=effect,
            no_analysis_reason=NO_ANALYSIS,
            # Red at the last two meetings: escalated, not done, carried into the next plan.
            status=Action.Status.PAGAR if ratings.endswith("RR") else Action.Status.GENOMFORD,
            level="oppen",
            acting_user=user,
        )
        if action_title.startswith("Riktade insatser mot buskörning"):
            _statistics_indicator(action, user, "polisen.handelser.ordning", "2418", Decimal(3), Decimal(1))
        created.append((action, ratings, done, hours))
    plan_decide(
        plan=plan,
        decided_on=D(2020, 9, 14),
        decided_by="REK-gruppen i Malå (bedrägerier tillagda)",
        acting_user=user,
    )
    today = timezone.localdate()
    for action, ratings, done, hours in created:
        previous = None
        for meeting, mark in zip(REK_MEETINGS, ratings, strict=True):
            if mark == "-" or meeting > today:
                continue
            rating = COLOURS[mark]
            followup_record(
                action=action,
                followed_up_on=meeting,
                rating=rating,
                done=f"{done}.",
                outcome=REASONS[rating] if rating != Rating.GRON else "Resultatet godkänt.",
                reason=REASONS[rating] if previous not in (None, rating) else "",
                hours_spent=(Decimal(hours) / 12).quantize(Decimal("0.1")),
                occasion="REK-gruppens möte",
                acting_user=user,
            )
            previous = rating


def _statistics_indicator(
    action: Action, user: Any, code: str, kommun: str, baseline: Decimal, target: Decimal
) -> None:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return
    action_indicator_save(
        action=action,
        name=indicator.name,
        source=ActionIndicator.Source.STATISTIK,
        indicator=indicator,
        kommun=Kommun.objects.get(pk=kommun),
        unit=indicator.unit,
        baseline=baseline,
        target=target,
        target_on=action.end_date,
        direction=ActionIndicator.Direction.MINSKA,
        acting_user=user,
    )


def _cause(collaboration: Collaboration, text: str) -> Cause | None:
    return Cause.objects.filter(collaboration=collaboration, text=text).first()


def _alvdalen(user: Any) -> None:
    """Spring 2026: a plan against the sportlov trouble in Idre (from the February picture, before any
    analysis). December 2026: the problems analysed in analysis/demo.py get actions tied to their causes,
    and the plan is decided again."""
    collaboration = Collaboration.objects.filter(name=ALVDALEN).first()
    agreement = (
        Agreement.objects.filter(collaboration=collaboration, start_date__year=2022).first()
        if collaboration
        else None
    )
    title = "Åtgärdsplan 2026–2027"
    if (
        user is None
        or collaboration is None
        or agreement is None
        or ActionPlan.objects.filter(collaboration=collaboration, title=title).exists()
    ):
        return
    today = timezone.localdate()
    plan = plan_save(
        collaboration=collaboration,
        agreement=agreement,
        title=title,
        description="Arbetsgrupp BRÅ:s åtgärder mot de problem gruppen prioriterat ur den gemensamma lägesbilden.",
        start_date=D(2026, 1, 1),
        end_date=D(2027, 12, 31),
        level="oppen",
        acting_user=user,
    )
    idre = action_save(
        plan=plan,
        title="Samordnad tillsyn och ansvarsfull alkoholservering i Idre under sportlovet",
        description="Kommunens alkoholhandläggare och polisen gör gemensam tillsyn; krögarna sprider stängningstiderna.",
        responsible=_org("Älvdalens kommun – kommunledningen"),
        partners=[_org("Polisen, LPO Mora")],
        no_analysis_reason=(
            "Beslutad direkt efter sportlovet utifrån lägesbilden i februari; orsakerna analyseras inför nästa säsong."
        ),
        kind=Action.Kind.SITUATIONELL,
        horizon=Action.Horizon.KORT,
        start_date=D(2026, 2, 1),
        end_date=D(2027, 3, 31),
        planned_hours=Decimal(120),
        expected_effect="Färre ordningsstörningar och våldsbrott i Idre under sportlovsveckorna.",
        status=Action.Status.PAGAR,
        level="oppen",
        acting_user=user,
    )
    _statistics_indicator(idre, user, "polisen.handelser.ordning", "2039", Decimal(12), Decimal(6))
    plan_decide(
        plan=plan, decided_on=D(2026, 3, 25), decided_by="Arbetsgrupp BRÅ, 25 mars 2026", acting_user=user
    )
    for day, rating, done, reason in (
        (D(2026, 4, 15), Rating.GUL, "Gemensam tillsyn två helger under sportlovet.", ""),
        (D(2026, 5, 13), Rating.GRON, "Krögarna har infört spridda stängningstider.", REASONS[Rating.GRON]),
    ):
        if day <= today:
            followup_record(
                action=idre,
                followed_up_on=day,
                rating=rating,
                done=done,
                reason=reason,
                occasion="Arbetsgrupp BRÅ",
                acting_user=user,
            )
    analysed = [
        (
            "Belysning och vuxna på plats vid busstationen kvällstid",
            "Älvdalens kommun – skola och fritid",
            ["Älvdalens bostadsbolag"],
            "Busstationen är mörk och saknar vuxennärvaro",
            Action.Kind.SITUATIONELL,
            "Färre samlingar och mindre otrygghet vid busstationen på helgkvällar.",
        ),
        (
            "Fritidsgården öppen fredag och lördag kväll",
            "Älvdalens kommun – skola och fritid",
            [],
            "Ingen öppen fritidsgård på helgkvällar",
            Action.Kind.SOCIAL,
            "De unga har en plats att vara på med vuxna i närheten.",
        ),
        (
            "Klotter med symboler saneras inom ett dygn",
            "Älvdalens kommun – kommunledningen",
            ["Älvdalens bostadsbolag", "Polisen, LPO Mora"],
            "Klotter med symboler får sitta kvar",
            Action.Kind.SITUATIONELL,
            "Symbolerna syns inte och sprids inte; polisen dokumenterar dem före saneringen.",
        ),
    ]
    created = {}
    for action_title, responsible, partners, cause_text, kind, effect in analysed:
        cause = _cause(collaboration, cause_text)
        created[action_title] = action_save(
            plan=plan,
            title=action_title,
            responsible=_org(responsible),
            partners=[_org(p) for p in partners],
            causes=[cause] if cause else [],
            no_analysis_reason="" if cause else "Orsaksanalysen finns inte i den här demon.",
            kind=kind,
            horizon=Action.Horizon.KORT,
            start_date=D(2026, 12, 1),
            end_date=D(2027, 6, 30),
            planned_hours=Decimal(200),
            expected_effect=effect,
            status=Action.Status.PLANERAD,
            level="oppen",
            acting_user=user,
        )
    bus = created["Belysning och vuxna på plats vid busstationen kvällstid"]
    action_indicator_save(
        action=bus,
        name="Andel unga i årskurs 8 som känner sig trygga vid busstationen på kvällen (Lupp)",
        unit="%",
        baseline=Decimal(61),
        baseline_on=D(2026, 5, 31),
        target=Decimal(80),
        target_on=D(2027, 5, 31),
        direction=ActionIndicator.Direction.OKA,
        acting_user=user,
    )
    skadegorelse = Indicator.objects.filter(code="kommun.kommunens-kostnad-for-skadegorelse").first()
    if skadegorelse is not None:
        action_indicator_save(
            action=created["Klotter med symboler saneras inom ett dygn"],
            name=skadegorelse.name,
            source=ActionIndicator.Source.STATISTIK,
            indicator=skadegorelse,
            kommun=Kommun.objects.get(pk="2039"),
            unit=skadegorelse.unit,
            baseline=Decimal(310000),
            target=Decimal(250000),
            target_on=D(2027, 12, 31),
            direction=ActionIndicator.Direction.MINSKA,
            acting_user=user,
        )
    plan_decide(
        plan=plan, decided_on=min(today, D(2026, 12, 6)), decided_by="Arbetsgrupp BRÅ", acting_user=user
    )
    for order_title, organisation, due, next_meeting, action in (
        (
            "Ta fram schema för vuxennärvaro vid busstationen",
            "Älvdalens kommun – skola och fritid",
            None,
            True,
            bus,
        ),
        (
            "Bjud in krögarna i Idre till möte före sportlovet",
            "Älvdalens kommun – kommunledningen",
            D(2027, 1, 15),
            False,
            idre,
        ),
    ):
        work_order_save(
            collaboration=collaboration,
            title=order_title,
            organisation=_org(organisation),
            due_on=due,
            due_next_meeting=next_meeting,
            action=action,
            level="intern",
            acting_user=user,
        )
