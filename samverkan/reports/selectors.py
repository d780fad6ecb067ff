"""Reads of yearly evaluations: scoped to the user's collaborations (404 otherwise), and the document a
reader gets — built from the stored snapshot through the one visibility rule: a member reads the rows and
sections at the levels their role may read, the öppen version only öppen ones (each withheld section
replaced by a neutral line; withheld rows counted, never shown)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from samverkan.core.models import Collaboration, Level, decode_roles
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import membership_roles, readable_levels
from samverkan.meetings.models import Meeting
from samverkan.reports.facts import PROCESS_STEPS, TABLES, TableSpec
from samverkan.reports.models import SECTIONS, Evaluation, EvaluationVersion

SECTION_TITLES = {
    "summary": _("Sammanfattning"),
    "assessment": _("Bedömning"),
    "proposals": _("Förslag till nästa år"),
}


def readable(level: str, roles: str, *, role: str | None, public: bool) -> bool:
    """The one visibility rule (``core.visibility.readable_levels``) applied to a snapshot row; the öppen
    version reads öppen rows only, whoever asks."""
    if public:
        return level == Level.OPPEN
    restricted = decode_roles(roles) if level == Level.BEGRANSAD else None
    return level in readable_levels(role, restricted)


@dataclass
class Section:
    key: str
    text: str
    level: str
    withheld: bool

    @property
    def title(self) -> str:
        return str(SECTION_TITLES[self.key])


# Longer tables are printed as one line per row: WeasyPrint lays out every table cell as a box of its
# own (~2 ms each on the bench machine), so a full year's 200 actions as a grid took over 30 s.
PRINTED_TABLE_ROWS = 25


@dataclass
class Table:
    spec: TableSpec
    rows: list[list[Any]]
    withheld: int
    totals: list[Any] = field(default_factory=list)

    @property
    def printed_as_lines(self) -> bool:
        return len(self.rows) > PRINTED_TABLE_ROWS

    @property
    def lines(self) -> list[tuple[str, str]]:
        """Each row as (its first two cells, "Column: value; …" for the rest), for printing long tables."""
        labels = [str(c) for c in self.spec.columns]
        out = []
        for row in self.rows:
            head = " ".join(_shown(v) for v in row[:2])
            rest = "; ".join(f"{label}: {_shown(v)}" for label, v in zip(labels[2:], row[2:], strict=False))
            out.append((head, rest))
        return out

    @property
    def totals_line(self) -> str:
        labels = [str(c) for c in self.spec.columns]
        return "; ".join(f"{labels[i]}: {_shown(self.totals[i])}" for i in self.spec.summed)


def _shown(value: Any) -> str:
    return "–" if value in (None, "") else str(value)


@dataclass
class ProcessStep:
    key: str
    label: str
    done: bool
    evidence: str
    url: str


@dataclass
class EvaluationDocument:
    evaluation: Evaluation
    version: EvaluationVersion
    public: bool
    sections: list[Section]
    tables: list[Table]
    process: list[ProcessStep]

    @property
    def collaboration(self) -> Collaboration:
        return self.evaluation.collaboration

    @property
    def title(self) -> str:
        return self.evaluation.title


def evaluation_list(*, user: Any, collaboration: Collaboration) -> QuerySet[Evaluation]:
    if collaboration.pk not in membership_roles(user):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(collaboration=collaboration).prefetch_related(
        Prefetch("versions", queryset=EvaluationVersion.objects.order_by("-number"))
    )


def get_evaluation(*, user: Any, collaboration: Collaboration, year: Any) -> Evaluation:
    """The collaboration's evaluation of ``year`` for a member, else 404."""
    number = parse_id(year)
    if number is None or collaboration.pk not in membership_roles(user):
        raise Http404
    evaluation = (
        Evaluation.objects.filter(collaboration=collaboration, year=number)
        .select_related("collaboration")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def get_evaluation_by_id(*, user: Any, pk: Any) -> Evaluation:
    number = parse_id(pk)
    evaluation = (
        Evaluation.objects.of_member(user).filter(pk=number).select_related("collaboration").first()  # type: ignore[attr-defined]
        if number
        else None
    )
    if evaluation is None:
        raise Http404
    return evaluation


def latest_version(evaluation: Evaluation) -> EvaluationVersion:
    version = evaluation.versions.order_by("-number").first()
    if version is None:
        raise Http404
    return version


def get_version(evaluation: Evaluation, number: Any) -> EvaluationVersion:
    parsed = parse_id(number)
    version = evaluation.versions.filter(number=parsed).first() if parsed else None
    if version is None:
        raise Http404
    return version


def approved_version(evaluation: Evaluation) -> EvaluationVersion | None:
    return evaluation.versions.filter(status=EvaluationVersion.Status.GODKAND).order_by("-number").first()


def _number(value: Any) -> Decimal:
    return Decimal(str(value)) if isinstance(value, int | float) else Decimal(0)


def evaluation_document(
    version: EvaluationVersion, *, user: Any = None, public: bool = False
) -> EvaluationDocument:
    """The document ``user`` may read (``public``: the öppen version, for anyone)."""
    evaluation = version.evaluation
    role = None if public else membership_roles(user).get(version.collaboration_id)
    if not public and role is None:
        raise Http404
    sections = []
    for key in SECTIONS:
        level = version.section_level(key)
        shown = readable(level, version.section_roles, role=role, public=public)
        sections.append(Section(key, getattr(version, key) if shown else "", level, not shown))
    stored = version.facts.get("tables", {})
    tables = []
    for spec in TABLES:
        rows, withheld = [], 0
        for row in stored.get(spec.key, []):
            if readable(row["level"], row.get("roles", ""), role=role, public=public):
                rows.append(row["cells"])
            else:
                withheld += 1
        totals: list[Any] = []
        if spec.summed and rows:
            totals = ["" for _ in spec.columns]
            for index in spec.summed:
                total = sum((_number(r[index]) for r in rows), Decimal(0))
                totals[index] = int(total) if total == total.to_integral_value() else float(total)
        tables.append(Table(spec, rows, withheld, totals))
    process = [
        ProcessStep(
            step["key"],
            str(PROCESS_STEPS.get(step["key"], step["key"])),
            bool(step["done"]),
            step["evidence"],
            "" if public else step.get("url", ""),
        )
        for step in version.facts.get("process", [])
    ]
    process.append(
        ProcessStep(
            "utvardering", str(PROCESS_STEPS["utvardering"]), version.locked, _approval_text(version), ""
        )
    )
    return EvaluationDocument(evaluation, version, public, sections, tables, process)


def _approval_text(version: EvaluationVersion) -> str:
    if not version.locked or version.approved_at is None:
        return str(_("Inte godkänd ännu"))
    text = str(_("Godkänd %(date)s")) % {"date": f"{version.approved_at:%Y-%m-%d}"}
    if version.approved_decision:
        text += f", {version.approved_decision}"
    return str(text)


def public_evaluations(collaboration_ids: list[int]) -> list[Evaluation]:
    """Approved evaluations whose public version is released, newest year first (for the portal). Each
    carries ``public_version`` (the newest released version) and its ``approved_at``."""
    versions = (
        EvaluationVersion.objects.filter(
            collaboration_id__in=list(collaboration_ids),
            collaboration__is_active=True,
            status=EvaluationVersion.Status.GODKAND,
            public_released_at__isnull=False,
        )
        .select_related("evaluation", "evaluation__collaboration")
        .order_by("-evaluation__year", "evaluation_id", "-number")
    )
    found: dict[int, Evaluation] = {}
    for version in versions:
        if version.evaluation_id in found:
            continue
        evaluation = version.evaluation
        evaluation.public_version = version  # type: ignore[attr-defined]
        evaluation.approved_at = version.approved_at  # type: ignore[attr-defined]
        found[evaluation.pk] = evaluation
    return list(found.values())


def get_public_evaluation(collaboration_id: int, year: Any) -> EvaluationVersion:
    """The newest released public version of a collaboration's evaluation of ``year``, else 404."""
    number = parse_id(year)
    for evaluation in public_evaluations([collaboration_id]) if number else []:
        if evaluation.year == number:
            return evaluation.public_version  # type: ignore[attr-defined,no-any-return]
    raise Http404


def approval_meetings(evaluation: Evaluation) -> list[Meeting]:
    """The collaboration's meetings from the evaluated year on, newest first: where the group may have
    approved the evaluation (the approval form's choices)."""
    return list(
        Meeting.objects.filter(
            collaboration_id=evaluation.collaboration_id, starts_at__year__gte=evaluation.year
        )
        .select_related("group")
        .order_by("-starts_at")[:50]
    )


def approval_meeting(evaluation: Evaluation, pk: int) -> Meeting | None:
    """One meeting of the evaluation's collaboration (the API's approval names it by id), else None."""
    return Meeting.objects.filter(pk=pk, collaboration_id=evaluation.collaboration_id).first()
