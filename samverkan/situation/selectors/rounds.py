"""Reads for rounds, reports and templates, scoped to the user (answers through the visibility rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core.models import Collaboration, Membership, Organisation, Role
from samverkan.core.selectors import get_for_user, parse_id
from samverkan.core.visibility import can_read, record_reads
from samverkan.situation.models import (
    Answer,
    Place,
    Question,
    Report,
    Round,
    RoundSchedule,
    Section,
    Template,
)


def round_title(round_: Round) -> str:
    """The period in words (``Round.title``)."""
    return round_.title


def membership_for(user: Any, collaboration: Collaboration) -> Membership | None:
    return (
        Membership.objects.filter(user=user, collaboration=collaboration)
        .select_related("organisation")
        .first()
    )


@dataclass
class ReportState:
    """One asked organisation in one round: its report (if started) and where it stands."""

    organisation: Organisation
    report: Report | None

    @property
    def state(self) -> str:
        if self.report is None:
            return "ej_paborjad"
        return "inskickad" if self.report.status == Report.Status.INSKICKAD else "utkast"

    @property
    def state_label(self) -> str:
        return {"ej_paborjad": _("Ej påbörjad"), "utkast": _("Utkast"), "inskickad": _("Inskickad")}[
            self.state
        ]


@dataclass
class RoundRow:
    round: Round
    title: str
    asked: int
    submitted: int
    mine: list[ReportState] = field(default_factory=list)


def round_queryset(*, collaboration: Collaboration) -> QuerySet[Round]:
    return (
        Round.objects.filter(collaboration=collaboration)
        .select_related("template")
        .annotate(
            asked_count=Count("organisations", distinct=True),
            submitted_count=Count(
                "reports", filter=Q(reports__status=Report.Status.INSKICKAD), distinct=True
            ),
        )
    )


PAST_ROUNDS_PER_PAGE = 24  # two years of monthly rounds


def round_rows(
    *, user: Any, collaboration: Collaboration, past_page: Any = 1, open_only: bool = False
) -> tuple[list[RoundRow], Page[RoundRow]]:
    """(open rounds, one page of past rounds, newest first), each with completeness and the user's own
    organisation's report. The page keeps the list's cost flat however many years of rounds there are;
    ``open_only`` (the home page) leaves the past rounds out altogether: an empty page."""
    membership = membership_for(user, collaboration)
    own = membership.organisation if membership and membership.role != Role.LASARE else None
    now = timezone.now()
    is_open = Q(closed_at__isnull=True, deadline__gte=now)
    rounds = round_queryset(collaboration=collaboration)
    open_rounds = list(rounds.filter(is_open))
    past = rounds.none() if open_only else rounds.exclude(is_open).order_by("-period_start", "-id")
    page = Paginator(past, PAST_ROUNDS_PER_PAGE).get_page(past_page)
    shown = [*open_rounds, *page.object_list]
    asked_own: set[int] = set()
    own_reports: dict[int, Report] = {}
    if own is not None and shown:
        asked_own = set(
            Round.organisations.through.objects.filter(
                round__in=[r.pk for r in shown], organisation=own
            ).values_list("round_id", flat=True)
        )
        own_reports = {r.round_id: r for r in Report.objects.filter(round__in=shown, organisation=own)}

    def row(round_: Round) -> RoundRow:
        result = RoundRow(round_, round_title(round_), round_.asked_count, round_.submitted_count)  # type: ignore[attr-defined]
        if own is not None and round_.pk in asked_own:
            result.mine.append(ReportState(own, own_reports.get(round_.pk)))
        return result

    # The rows of the page's rounds, numbered and counted by the rounds' paginator.
    rows = [row(r) for r in page.object_list]
    rows_page: Page[RoundRow] = Page(rows, page.number, page.paginator)  # type: ignore[arg-type]
    return [row(r) for r in open_rounds], rows_page


def get_round_for_user(user: Any, collaboration: Collaboration, pk: Any) -> Round:
    """A round of the collaboration the user is a member of, with its template and counts, else 404."""
    return get_for_user(
        round_queryset(collaboration=collaboration).select_related("template", "collaboration"), user, pk
    )


def get_round_to_report(user: Any, collaboration: Collaboration, pk: Any) -> Round:
    """``get_round_for_user`` without the completeness counts, which the report pages do not show; its
    ``collaboration`` is the one given (not read again)."""
    round_ = get_for_user(
        Round.objects.filter(collaboration=collaboration).select_related("template"), user, pk
    )
    round_.collaboration = collaboration
    return round_


def rounds_for(user: Any) -> QuerySet[Round]:
    """Rounds of every collaboration the user is a member of."""
    return Round.objects.of_member(user)


def get_round(user: Any, pk: Any) -> Round:
    """A round of one of the user's collaborations, with its template and collaboration, else 404."""
    return get_for_user(Round.objects.select_related("template", "collaboration"), user, pk)


def round_completeness(round_: Round) -> list[ReportState]:
    """Every asked organisation with its report (not started / draft / submitted)."""
    reports = {
        r.organisation_id: r
        for r in Report.objects.filter(round=round_).select_related("submitted_by", "updated_by")
    }
    return [ReportState(org, reports.get(org.pk)) for org in round_.organisations.order_by("name")]


def get_report_for_user(user: Any, round_: Round, pk: Any) -> Report:
    """A report in the round (every member reads reports; their answers are filtered), else 404.
    ``report.round`` is ``round_`` itself, as read (not read again)."""
    report = get_for_user(
        Report.objects.filter(round=round_).select_related("organisation", "submitted_by"), user, pk
    )
    report.round = round_
    return report


def reports_for(user: Any) -> QuerySet[Report]:
    """Reports in every collaboration the user is a member of (without their answers)."""
    return Report.objects.of_member(user).select_related("organisation")


def get_report(user: Any, pk: Any) -> Report:
    """A report in one of the user's collaborations, with its organisation and round, else 404."""
    return get_for_user(Report.objects.select_related("organisation", "round__collaboration"), user, pk)


def has_report(*, round_: Round, organisation: Organisation) -> bool:
    return Report.objects.filter(round=round_, organisation=organisation).exists()


def visible_answers(*, user: Any, report: Report) -> list[Answer]:
    """The report's answers the user may read, in the template's order; begränsad reads are audit-logged."""
    answers = list(
        Answer.objects.visible_to(user)
        .filter(report=report)
        .select_related("question")
        .order_by("question__section__order", "question__order", "question_id")
    )
    record_reads(user, answers)
    return answers


def report_answers(*, user: Any, report: Report) -> dict[int, Answer]:
    """The report's answers the user may read, by question id; begränsad reads are audit-logged."""
    return {a.question_id: a for a in visible_answers(user=user, report=report)}


def report_answers_and_hidden(*, user: Any, report: Report) -> tuple[dict[int, Answer], set[int]]:
    """(``report_answers``, ``hidden_answer_questions``) from one read of the report's answers: each is
    sorted by ``can_read``, the object form of the rule behind ``visible_to`` (the two are tested to
    agree). Only a hidden answer's question id leaves here; begränsad reads are audit-logged."""
    visible: list[Answer] = []
    hidden: set[int] = set()
    answers = (
        Answer.objects.filter(report=report)
        .select_related("question")
        .order_by("question__section__order", "question__order", "question_id")
    )
    for answer in answers:
        if can_read(user, answer):
            visible.append(answer)
        else:
            hidden.add(answer.question_id)
    record_reads(user, visible)
    return {a.question_id: a for a in visible}, hidden


def hidden_answer_questions(*, user: Any, report: Report) -> set[int]:
    """Questions with an answer the user may not read (shown as "answered, begränsad")."""
    visible = Answer.objects.visible_to(user).filter(report=report).values_list("pk", flat=True)
    return set(report.answers.exclude(pk__in=visible).values_list("question_id", flat=True))


# A template version's sections and questions never change once a round uses it (a revision is a new
# version), so each process reads them once. The key holds the creation time too: a test database (or a
# restored one) may give the same id to another template.
_TEMPLATE_SECTIONS: dict[tuple[int, Any], list[Section]] = {}
_TEMPLATE_SECTIONS_MAX = 256


def template_sections(template: Template) -> list[Section]:
    """The template's sections in order, each with its questions prefetched (``section.questions.all()``).

    Kept per process for a template that a round uses; the list is the caller's own, the sections and
    questions are shared and must be treated as read-only."""
    key = (template.pk, template.created_at)
    sections = _TEMPLATE_SECTIONS.get(key)
    if sections is None:
        sections = list(template.sections.prefetch_related("questions"))
        if Round.objects.filter(template=template).exists():
            if len(_TEMPLATE_SECTIONS) >= _TEMPLATE_SECTIONS_MAX:
                _TEMPLATE_SECTIONS.clear()
            _TEMPLATE_SECTIONS[key] = sections
    return list(sections)


def template_list(*, collaboration: Collaboration) -> QuerySet[Template]:
    """Current versions of the templates the collaboration may use: shipped ones and its own."""
    return (
        Template.objects.filter(Q(collaboration=None) | Q(collaboration=collaboration), is_current=True)
        .annotate(section_count=Count("sections", distinct=True))
        .order_by("collaboration_id", "name")
    )


def get_template_for_user(collaboration: Collaboration, pk: Any) -> Template:
    """Any version of a shipped template or of the collaboration's own (old reports use old versions)."""
    number = parse_id(pk)
    template = (
        Template.objects.filter(Q(collaboration=None) | Q(collaboration=collaboration), pk=number)
        .select_related("previous")
        .first()
        if number is not None
        else None
    )
    if template is None:
        raise Http404
    return template


def templates_for(user: Any) -> QuerySet[Template]:
    """Every version of the shipped templates and of those of the user's collaborations."""
    return Template.objects.filter(collaboration__isnull=True) | Template.objects.of_member(user)


def get_template(user: Any, pk: Any) -> Template:
    """A template the user may use, with its sections (``api_sections``) and their questions
    (``api_questions``) in order, else 404."""
    number = parse_id(pk)
    template = (
        templates_for(user)
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "questions",
                        queryset=Question.objects.order_by("order", "id"),
                        to_attr="api_questions",
                    )
                ),
                to_attr="api_sections",
            )
        )
        .filter(pk=number)
        .first()
        if number is not None
        else None
    )
    if template is None:
        raise Http404
    return template


def schedule_of(collaboration: Collaboration) -> RoundSchedule | None:
    return RoundSchedule.objects.filter(collaboration=collaboration).first()


def place_names(*, collaboration: Collaboration) -> list[str]:
    return list(Place.objects.filter(collaboration=collaboration).values_list("name", flat=True).distinct())


def question_count(template: Template) -> int:
    return Question.objects.filter(section__template=template).count()
