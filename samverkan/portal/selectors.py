"""Reads for the public pages: the active collaborations, and everything a kommun's portal page shows.

Only öppen content, through the models' ``public()`` rule or the apps' public selectors (agreements,
minutes, the action plan's öppen traceability); statistics are public open data, shown with small counts
suppressed as everywhere outside begränsad views.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.actions.models import ActionPlan
from samverkan.agreements.models import Agreement, CitizenPromise
from samverkan.agreements.selectors import agreements as agreement_selectors
from samverkan.agreements.selectors.document import AgreementDocument, agreement_document
from samverkan.core.models import Collaboration, Kommun, Level, PublicRevision
from samverkan.core.selectors import parse_id
from samverkan.indicators import overview
from samverkan.indicators.models import ImportRun
from samverkan.indicators.suppression import is_small, threshold
from samverkan.meetings.models import AgendaItem, Decision, Minutes
from samverkan.meetings.selectors import minutes as minutes_selectors
from samverkan.reports.selectors import public_evaluations


def active_collaborations() -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(is_active=True).prefetch_related("kommuner").order_by("name")


def get_active_collaboration(pk: Any) -> Collaboration:
    """An active collaboration, else 404."""
    number = parse_id(pk)
    collaboration = Collaboration.objects.filter(pk=number, is_active=True).first() if number else None
    if collaboration is None:
        raise Http404
    return collaboration


# --- One kommun -------------------------------------------------------------------------------------

KOMMUNKOD = re.compile(r"\d{4}")


def get_kommun(kommunkod: str) -> Kommun:
    """The kommun with this four-digit kommunkod, else 404 (anything else is not a kommunkod)."""
    kommun = Kommun.objects.filter(kod=kommunkod).first() if KOMMUNKOD.fullmatch(kommunkod or "") else None
    if kommun is None:
        raise Http404
    return kommun


def kommun_collaborations(kommun: Kommun) -> list[Collaboration]:
    """The active collaborations that cover the kommun, by name."""
    return list(
        Collaboration.objects.filter(is_active=True, kommuner=kommun)
        .prefetch_related("kommuner")
        .order_by("name")
    )


def kommun_revision(*, kommunkod: str, **kwargs: Any) -> str:
    """What a kommun's public pages are a function of: the public revisions of the collaborations that
    cover it (any change to them, a collaboration joining or leaving the kommun included) and the
    statistics imports (statistics rows belong to no collaboration, so they raise no revision)."""
    if not KOMMUNKOD.fullmatch(kommunkod or ""):
        return "0"  # not a kommunkod: the page answers 404 (and PostgreSQL refuses a NUL in a query)
    covering = Collaboration.objects.filter(kommuner__kod=kommunkod).values("pk")
    total = (
        PublicRevision.objects.filter(collaboration_id__in=covering).aggregate(total=Sum("revision"))["total"]
        or 0
    )
    imports = ImportRun.objects.aggregate(count=Count("pk"), last=Max("finished_at"))
    last = imports["last"].timestamp() if imports["last"] else 0
    return f"{total}.{imports['count']}.{last}"


# What a citizen reads for a promise's status: what is happening, not the workflow's word.
PROMISE_STATUS_TEXT = {
    CitizenPromise.Status.PLANERAT: _("Inte påbörjat ännu"),
    CitizenPromise.Status.PAGAR: _("Vi arbetar med det just nu"),
    CitizenPromise.Status.UPPFYLLT: _("Klart – löftet är uppfyllt"),
    CitizenPromise.Status.AVBRUTET: _("Avbrutet – löftet genomförs inte"),
}


@dataclass
class PublicPromise:
    promise: CitizenPromise
    status_text: str
    is_current: bool


@dataclass
class CollaborationSection:
    """One collaboration as a kommun's page shows it."""

    collaboration: Collaboration
    current: AgreementDocument | None
    earlier: list[Agreement]
    promises: list[PublicPromise]
    minutes: list[Minutes]
    minutes_count: int
    plans: list[ActionPlan]

    @property
    def has_content(self) -> bool:
        return bool(self.current or self.earlier or self.promises or self.minutes or self.plans)


def public_promises(collaboration: Collaboration, *, today: dt.date | None = None) -> list[PublicPromise]:
    today = today or timezone.localdate()
    return [
        PublicPromise(
            promise=p,
            status_text=str(PROMISE_STATUS_TEXT.get(p.status, p.get_status_display())),
            is_current=p.start_date <= today <= p.end_date,
        )
        for p in CitizenPromise.objects.public()
        .filter(collaboration=collaboration)
        .order_by("-start_date", "pk")
    ]


def public_plans(collaboration: Collaboration) -> list[ActionPlan]:
    """The collaboration's action plans with an öppen traceability page: öppen and decided."""
    return list(
        ActionPlan.objects.public()
        .filter(collaboration=collaboration)
        .exclude(status=ActionPlan.Status.UTKAST)
        .order_by("-start_date", "pk")
    )


def get_public_plan(collaboration: Collaboration, plan_id: Any) -> ActionPlan:
    number = parse_id(plan_id)
    plan = next((p for p in public_plans(collaboration) if p.pk == number), None) if number else None
    if plan is None:
        raise Http404
    return plan


def collaboration_section(collaboration: Collaboration, *, minutes_shown: int = 5) -> CollaborationSection:
    today = timezone.localdate()
    agreements = list(agreement_selectors.public_agreements(collaboration=collaboration))
    in_force = [
        a for a in agreements if a.status == Agreement.Status.GALLANDE and a.start_date <= today <= a.end_date
    ]
    running = in_force or [a for a in agreements if a.status == Agreement.Status.GALLANDE]
    current = running[0] if running else None
    published = minutes_selectors.published_minutes(collaboration)
    return CollaborationSection(
        collaboration=collaboration,
        current=agreement_document(current, public=True) if current is not None else None,
        earlier=[a for a in agreements if a != current],
        promises=public_promises(collaboration, today=today),
        minutes=list(published[:minutes_shown]),
        minutes_count=published.count(),
        plans=public_plans(collaboration),
    )


# --- Statistics ---------------------------------------------------------------------------------------


@dataclass
class StatisticsRow:
    row: overview.OverviewRow
    suppressed: bool


@dataclass
class StatisticsGroup:
    title: str
    rows: list[StatisticsRow] = field(default_factory=list)


def kommun_statistics(kommun: Kommun) -> list[StatisticsGroup]:
    """The kommun's latest value per indicator, a count of 1 to threshold − 1 suppressed (with its rate
    and changes: they would give the count back)."""
    limit = threshold()
    return [
        StatisticsGroup(
            title=group.title,
            rows=[
                StatisticsRow(row=row, suppressed=bool(row.indicator.is_count and is_small(row.value, limit)))
                for row in group.rows
            ],
        )
        for group in overview.kommun_overview(kommun=kommun)
    ]


# --- Searching the published minutes -----------------------------------------------------------------

SEARCH_MAX_CHARS = 200  # a longer question is cut here (and the page says so), never refused
SEARCH_MAX_TERMS = 8
SEARCH_MAX_RESULTS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # PostgreSQL refuses NUL in text; none of these is searched for


@dataclass
class SearchQuery:
    text: str
    terms: list[str]
    truncated: bool


def parse_search(raw: str | None) -> SearchQuery:
    """The words to look for: at most SEARCH_MAX_TERMS of the first SEARCH_MAX_CHARS characters.
    Metacharacters are plain text (the ORM escapes LIKE's wildcards on both databases)."""
    raw = raw or ""
    text = _CONTROL.sub(" ", raw[:SEARCH_MAX_CHARS]).strip()
    terms = list(dict.fromkeys(text.split()))[:SEARCH_MAX_TERMS]
    return SearchQuery(text=text, terms=terms, truncated=len(raw) > SEARCH_MAX_CHARS)


@dataclass
class SearchHit:
    item: AgendaItem
    minutes: Minutes


def _variants(term: str) -> set[str]:
    # SQLite's LIKE folds ASCII case only (å/Å, ä/Ä, ö/Ö differ): try the usual spellings of the word too.
    return {term, term.lower(), term.upper(), term.capitalize()}


def _term_q(term: str) -> Q:
    condition = Q()
    for variant in _variants(term):
        decision = Decision.objects.filter(item=OuterRef("pk"), level=Level.OPPEN, text__icontains=variant)
        condition |= Q(
            Q(title__icontains=variant)
            | Q(notes__icontains=variant)
            | Q(proposal__icontains=variant)
            | Q(reservations__icontains=variant)
            | Exists(decision)
        )
    return condition


def search_minutes(collaborations: list[Collaboration], query: SearchQuery) -> list[SearchHit]:
    """Öppen agenda items of published minutes whose public text (title, notes, proposal, reservations,
    öppen decisions) holds every word; newest meeting first, at most SEARCH_MAX_RESULTS."""
    if not query.terms or not collaborations:
        return []
    published = {m.meeting_id: m for c in collaborations for m in minutes_selectors.published_minutes(c)}
    items = AgendaItem.objects.public().filter(meeting_id__in=list(published))
    for term in query.terms:
        items = items.filter(_term_q(term))
    found = items.select_related("meeting").order_by("-meeting__starts_at", "order", "pk")[
        :SEARCH_MAX_RESULTS
    ]
    return [SearchHit(item=item, minutes=published[item.meeting_id]) for item in found]


# --- Evaluations ---------------------------------------------------------------------------------------


def public_evaluations_for(collaborations: list[Collaboration]) -> list[PublicEvaluation]:
    """The yearly evaluations marked public of these collaborations, newest first. Each has ``title``,
    ``year``, ``url`` (its öppen page) and ``published_at`` (the pages and the feeds read these)."""
    return [
        PublicEvaluation(
            title=f"{evaluation.title} – {evaluation.collaboration.name}",
            year=evaluation.year,
            url=reverse(
                "portal:evaluation_detail",
                kwargs={"collaboration_id": evaluation.collaboration_id, "year": evaluation.year},
            ),
            published_at=evaluation.public_version.public_released_at,  # type: ignore[attr-defined]
        )
        for evaluation in public_evaluations([c.pk for c in collaborations])
    ]


@dataclass(frozen=True)
class PublicEvaluation:
    title: str
    year: int
    url: str
    published_at: Any
