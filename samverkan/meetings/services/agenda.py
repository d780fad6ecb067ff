"""The agenda: drafted from the state of the cycle, then edited by the secretary.

``draft_agenda`` is idempotent: run again before the meeting it refreshes each drafted item from the live
rows (an item the secretary has not edited gets the new text; an edited one keeps its text and gets only
the rows that are new, as added lines), adds items that are new, and never makes a second item for the
same thing. Each drafted item records what it was built from in ``source`` (``draft``: the item's key,
plus the ids of the rows) and takes the strictest level among them, never looser than intern: rows of
different begränsad role sets, or begränsad rows beside intern ones, go to separate items, so an intern
item never lists a begränsad action. Everything is read as the acting user may read it, so a draft never
holds more than its writer may see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Subquery
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samverkan.actions.models import Rating, WorkOrder
from samverkan.actions.selectors.flags import PastRating, flag_rows_for_collaboration
from samverkan.actions.selectors.workorders import work_order_queryset
from samverkan.core.audit import audit_entry, snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import apply_level, content_delete, content_save, guard_public_text
from samverkan.core.levels import LEVEL_RANK
from samverkan.core.models import DEFAULT_RESTRICTED_TO, AuditEntry, Level, decode_roles
from samverkan.core.permissions import can_write_minutes
from samverkan.core.personaldata import find_personal_data
from samverkan.core.publication import bumps_deferred, public_revision_bump
from samverkan.core.visibility import ShownRow, record_reads, rows_read
from samverkan.indicators.signals import signals_for_collaboration
from samverkan.meetings.models import AgendaItem, Decision, Meeting, Minutes
from samverkan.meetings.selectors.cache import cached_for_reader, cached_shown
from samverkan.meetings.services.minutes import ensure_editable
from samverkan.situation.models import Report, Round

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Kind = AgendaItem.Kind

# The order the draft lays the points out in.
KIND_ORDER = [
    Kind.OPPNANDE,
    Kind.UPPFOLJNING,
    Kind.ARBETSORDER,
    Kind.LAGESBILD,
    Kind.SIGNALER,
    Kind.POLISINFORMATION,
    Kind.GEMENSAM_LAGESBILD,
    Kind.ATERRAPPORTERING,
    Kind.BESLUT,
    Kind.NYA_ARBETSORDER,
    Kind.OVRIGT,
    Kind.NASTA_MOTE,
    Kind.AVSLUTNING,
]
KIND_RANK = {kind.value: rank for rank, kind in enumerate(KIND_ORDER)}


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(STOCKHOLM)


def meeting_day(meeting: Meeting) -> dt.date:
    return local(meeting.starts_at).date()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Guards ------------------------------------------------------------------------------------------


def minutes_locked(meeting: Meeting) -> bool:
    minutes = Minutes.objects.filter(meeting=meeting).only("status").first()
    return minutes is not None and minutes.locked


def require_editable(acting_user: Any, meeting: Meeting) -> None:
    """The agenda and minutes are written by the samordnare or the secretary, and only while the minutes
    are a draft (out for justering or justerade: changes are amendments, the minutes' own business)."""
    if not can_write_minutes(acting_user, meeting):
        raise PermissionDenied
    ensure_editable(meeting)  # the one lock check, shared with the minutes page and the API
    if meeting.status == Meeting.Status.INSTALLT:
        raise ValidationError(_("Mötet är inställt."))


# --- The draft ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a drafted item, with the level of the row it tells of."""

    key: str  # "actions:12": the id recorded in the item's source
    text: str
    level: str
    roles: str = ""  # encoded restricted roles when begränsad


@dataclass
class Draft:
    """What one drafted item should hold."""

    key: str
    kind: str
    title: str
    intro: str = ""
    rows: list[Row] = field(default_factory=list)
    empty: str = ""
    level: str = Level.INTERN
    roles: str = DEFAULT_RESTRICTED_TO
    extra_source: dict[str, Any] = field(default_factory=dict)
    # The text, made on first use: a kept draft is written again and again (``dataclasses.replace``
    # makes a new draft without it).
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    def text(self) -> str:
        if self._text is None:
            lines = [self.intro] if self.intro else []
            lines += [f"– {row.text}" for row in self.rows]
            if not self.rows and self.empty:
                lines.append(self.empty)
            self._text = "\n".join(lines)
        return self._text

    def source(self) -> dict[str, Any]:
        ids: dict[str, list[int]] = {}
        for row in self.rows:
            name, number = row.key.split(":")
            ids.setdefault(name, []).append(int(number))
        return {"draft": self.key, **ids, **self.extra_source}


def _split_by_level(key: str, kind: str, title: str, rows: list[Row], **kwargs: Any) -> list[Draft]:
    """One item per level bucket: öppen and intern rows in an intern item, begränsad rows in an item per
    role set (an item's level is that of its strictest row, and a reader of the intern item must not
    meet a begränsad row in it). With no rows at all, one intern item saying so."""
    buckets: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        bucket = (Level.BEGRANSAD, row.roles) if row.level == Level.BEGRANSAD else (Level.INTERN, "")
        buckets.setdefault(bucket, []).append(row)
    if not buckets:
        buckets[(Level.INTERN, "")] = []
    drafts = []
    for (level, roles), bucket_rows in sorted(buckets.items(), key=lambda b: (LEVEL_RANK[b[0][0]], b[0][1])):
        restricted = level == Level.BEGRANSAD
        drafts.append(
            Draft(
                key=f"{key}:{level}:{roles}" if restricted else key,
                kind=kind,
                title=f"{title} ({_('begränsad')})" if restricted else title,
                rows=bucket_rows,
                level=level,
                roles=roles if restricted else DEFAULT_RESTRICTED_TO,
                **kwargs,
            )
        )
    return drafts


def _previous_meetings(meeting: Meeting) -> QuerySet[Meeting]:
    """The group's meetings before this one, not cancelled, the last first."""
    return (
        Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.INSTALLT)
        .order_by("-starts_at", "-pk")
    )


def _previous_meeting(meeting: Meeting) -> Meeting | None:
    return _previous_meetings(meeting).first()


def _next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(group=meeting.group, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.INSTALLT)
        .order_by("starts_at", "pk")
        .first()
    )


def _when(moment: dt.datetime) -> str:
    return formats.date_format(local(moment), "j F Y H:i")


def _history(rows: Iterable[PastRating], labels: dict[str, str]) -> str:
    return ", ".join(f"{labels[f.rating]} {f.followed_up_on.isoformat()}" for f in rows)


def _followups(user: Any, meeting: Meeting) -> list[Draft]:
    # Plain values: every current action of a plan with a dozen follow-ups each, not model instances.
    flags = flag_rows_for_collaboration(user, meeting.collaboration, meeting_day(meeting))
    # The colours' names translated once, not once per follow-up (a plan's history runs to thousands).
    labels = {str(value): str(label).lower() for value, label in Rating.choices}
    rows = []
    for flag in flags:  # escalated, red, overdue, never followed up, the rest
        parts = [f"{flag.number}. {flag.title} ({flag.responsible})"]
        if flag.labels:
            parts.append("; ".join(flag.labels))
        parts.append(
            _("Tidigare bedömningar: %(history)s") % {"history": _history(flag.history, labels)}
            if flag.history
            else _("Inte uppföljd ännu.")
        )
        rows.append(Row(f"actions:{flag.action_id}", " — ".join(parts), flag.level, flag.restricted_to))
    return _split_by_level(
        "uppfoljning",
        Kind.UPPFOLJNING,
        _("Uppföljning av åtgärder"),
        rows,
        intro=_("Eskalerade och röda först. Varje ansvarig redovisar; gruppen bedömer röd, gul eller grön."),
        empty=_("Inga pågående åtgärder att följa upp."),
    )


def _work_orders_due(user: Any, meeting: Meeting) -> list[Draft]:
    orders = list(
        work_order_queryset(user)
        .filter(collaboration=meeting.collaboration, status=WorkOrder.Status.OPPEN)
        .filter(Q(due_on__lte=meeting_day(meeting)) | Q(due_on__isnull=True, due_next_meeting=True))
        .order_by("due_on", "pk")
    )
    record_reads(user, orders)
    rows = [
        Row(
            f"work_orders:{o.pk}",
            f"{o.title} ({o.organisation.name}, "
            + (_("klart senast %(day)s") % {"day": o.due_on.isoformat()} if o.due_on else _("till mötet"))
            + ")",
            o.level,
            o.restricted_to,
        )
        for o in orders
    ]
    return _split_by_level(
        "arbetsorder",
        Kind.ARBETSORDER,
        _("Arbetsorder att redovisa"),
        rows,
        empty=_("Inga arbetsorder ska redovisas på mötet."),
    )


def _situation(meeting: Meeting, previous: Meeting | None) -> list[Draft]:
    """Each party's report since the last meeting, and who has not reported (names of organisations
    and whether they reported: the reports' contents stay in the lägesbild at their own levels)."""
    rounds = Round.objects.filter(
        collaboration=meeting.collaboration, period_start__lte=meeting_day(meeting)
    ).order_by("period_start", "pk")
    if previous is not None:
        rounds = rounds.filter(period_end__gte=meeting_day(previous))
    shown = list(rounds.prefetch_related("organisations")[:12])
    # Who reported, for every round shown in one query (not one per round).
    submitted: dict[int, set[int]] = {round_.pk: set() for round_ in shown}
    for round_id, organisation_id in Report.objects.filter(
        round__in=shown, status=Report.Status.INSKICKAD
    ).values_list("round_id", "organisation_id"):
        submitted[round_id].add(organisation_id)
    lines, round_ids = [], []
    for round_ in shown:
        round_ids.append(round_.pk)
        asked = sorted(round_.organisations.all(), key=lambda o: o.name)
        done = [o.name for o in asked if o.pk in submitted[round_.pk]]
        missing = [o.name for o in asked if o.pk not in submitted[round_.pk]]
        line = f"{round_.title}: " + _("rapporterat: %(names)s") % {"names": ", ".join(done) or "–"}
        if missing:
            line += "; " + _("inte rapporterat: %(names)s") % {"names": ", ".join(missing)}
        lines.append(line)
    intro = _("Varje part redovisar sin lägesbild sedan förra mötet.")
    return [
        Draft(
            key="lagesbild",
            kind=Kind.LAGESBILD,
            title=_("Parternas lägesbild"),
            intro="\n".join([intro, *(f"– {line}" for line in lines)]),
            empty="" if lines else _("Ingen rapporteringsomgång sedan förra mötet."),
            extra_source={"rounds": round_ids},
        )
    ]


def _signals(meeting: Meeting) -> list[Draft]:
    signals = signals_for_collaboration(meeting.collaboration, as_of=meeting_day(meeting))
    lines = [f"– {s.direction_label}: {s.sentence} ({s.period_label}, {s.kommun_name})" for s in signals]
    return [
        Draft(
            key="signaler",
            kind=Kind.SIGNALER,
            title=_("Signaler i statistiken"),
            intro="\n".join(lines) or _("Inga förändringar i statistiken är större än slumpen."),
            extra_source={"signals": [f"{s.indicator_code}:{s.kommun_code}" for s in signals]},
        )
    ]


def _police() -> list[Draft]:
    return [
        Draft(
            key="polisinformation",
            kind=Kind.POLISINFORMATION,
            title=_("Polisens information"),
            intro=_("Polisens underrättelseinformation. Lämnar inte rummet och publiceras aldrig."),
            level=Level.BEGRANSAD,
            roles=DEFAULT_RESTRICTED_TO,
        )
    ]


def _joint_picture(meeting: Meeting) -> list[Draft]:
    round_ = (
        Round.objects.filter(collaboration=meeting.collaboration, period_start__lte=meeting_day(meeting))
        .order_by("-period_start", "-pk")
        .first()
    )
    if round_ is None:
        text = _("Det finns ingen lägesbild att fastställa.")
        extra: dict[str, Any] = {}
    else:
        text = _("Gruppen fastställer den gemensamma lägesbilden för %(round)s.") % {"round": round_.title}
        extra = {"round": round_.pk}
    return [
        Draft(
            key="gemensam",
            kind=Kind.GEMENSAM_LAGESBILD,
            title=_("Gemensam lägesbild"),
            intro=text,
            extra_source=extra,
        )
    ]


def _report_back(user: Any, meeting: Meeting) -> list[Draft]:
    """The decisions of linked meetings held before this one (the operative group's meeting before the
    strategic one, or the strategic one an operative meeting follows), each at its own level."""
    linked = Meeting.objects.filter(
        Q(linked_meeting=meeting) | Q(pk=meeting.linked_meeting_id), starts_at__lt=meeting.starts_at
    ).exclude(pk=meeting.pk)
    if not linked.exists():
        return []
    decisions = list(
        Decision.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(meeting__in=linked)
        .select_related("meeting__group")
        .order_by("year", "number")
    )
    record_reads(user, decisions)
    rows = [
        Row(f"decisions:{d.pk}", f"{d.meeting.group.name} {d.label}: {d.text}", d.level, d.restricted_to)
        for d in decisions
    ]
    return _split_by_level(
        "aterrapport",
        Kind.ATERRAPPORTERING,
        _("Återrapportering från kopplat möte"),
        rows,
        empty=_("Inga beslut att återrapportera."),
    )


def _fixed(meeting: Meeting) -> list[Draft]:
    following = _next_meeting(meeting)
    next_text = (
        _("Nästa möte: %(when)s, %(place)s.") % {"when": _when(following.starts_at), "place": following.place}
        if following is not None
        else _("Inget nästa möte är planerat ännu.")
    )
    return [
        Draft(
            key="oppnande",
            kind=Kind.OPPNANDE,
            title=_("Mötets öppnande och närvaro"),
            intro=_("Ordföranden öppnar mötet. Närvaro, val av justerare och godkännande av dagordningen."),
        ),
        Draft(
            key="beslut",
            kind=Kind.BESLUT,
            title=_("Beslut"),
            intro=_("Beslut som mötet fattar numreras per grupp och år."),
        ),
        Draft(
            key="nya_order",
            kind=Kind.NYA_ARBETSORDER,
            title=_("Nya arbetsorder"),
            intro=_("Uppdrag till organisationerna, klara till nästa möte."),
        ),
        Draft(
            key="nasta_mote",
            kind=Kind.NASTA_MOTE,
            title=_("Nästa möte"),
            intro=next_text,
            extra_source={"meeting": following.pk} if following is not None else {},
        ),
    ]


def build_drafts(user: Any, meeting: Meeting) -> list[Draft]:
    """Every item the draft should hold now, read as ``user`` may read the cycle."""
    previous = _previous_meeting(meeting)
    builders: list[Callable[[], list[Draft]]] = [
        lambda: _followups(user, meeting),
        lambda: _work_orders_due(user, meeting),
        lambda: _situation(meeting, previous),
        lambda: _signals(meeting),
        _police,
        lambda: _joint_picture(meeting),
        lambda: _report_back(user, meeting),
        lambda: _fixed(meeting),
    ]
    drafts = [draft for build in builders for draft in build()]
    return sorted(drafts, key=lambda d: KIND_RANK[d.kind])


def _kept_draft(user: Any, meeting: Meeting) -> tuple[str, Any, int, tuple[Any, ...], Callable[[], Any]]:
    """The arguments the draft is kept under (name, reader, collaboration, parts) and how it is built:
    the same for ``cached_drafts`` and ``prepare_drafts``."""

    def build() -> tuple[list[Draft], list[ShownRow]]:
        with rows_read() as rows:
            drafts = build_drafts(user, meeting)
        for draft in drafts:
            # What writing a point needs of it, made with the draft (a prepared draft has it ready): its
            # text, and the personal-data scan the point's audit entry masks that text with (remembered
            # by ``core.personaldata`` for long texts).
            find_personal_data(draft.text())
        return drafts, rows

    return "agenda-draft", user, meeting.collaboration_id, (meeting.pk, get_language()), build


def cached_drafts(user: Any, meeting: Meeting) -> list[Draft]:
    """``build_drafts``, kept per (collaboration revision, data points' revision, reader's standing,
    meeting, language) by the meetings' page cache: every row a draft is built from is owned by the
    collaboration (actions, follow-ups, work orders, rounds and reports, meetings, decisions; the linked
    meeting is in the same collaboration) or is a data point, so any change to them is a new key. The
    follow-up point ranks every current action by its whole history; refreshing the draft, or drafting
    again after a rolled-back attempt, does not read it all again. The begränsad rows the build read are
    kept with it and logged for each writer who drafts from it, as if read anew."""
    drafts: list[Draft] = cached_shown(*_kept_draft(user, meeting), memo=True)
    return drafts


def prepare_drafts(user: Any, meeting: Meeting) -> None:
    """Build the draft ``cached_drafts`` will give ``user`` for ``meeting``, unless it is kept already:
    done after the agenda page has been sent to a writer (``core.after_response``), so the click on
    "draft" that usually follows finds it ready, however much of the cycle changed since the last draft.
    Nothing is logged here (no one has read the rows yet; drafting logs them). Only where drafting may
    follow: a writer of the minutes while they are a draft, a meeting not cancelled."""
    if meeting.status == Meeting.Status.INSTALLT or not can_write_minutes(user, meeting):
        return
    if minutes_locked(meeting):
        return
    cached_for_reader(*_kept_draft(user, meeting), memo=True)  # built and kept if not yet, nothing logged


@dataclass
class DraftResult:
    created: int = 0
    refreshed: int = 0
    kept: int = 0
    carried: int = 0


@transaction.atomic
def draft_agenda(meeting: Meeting, acting_user: Any) -> DraftResult:
    """Draft the agenda, or refresh a drafted one (see the module's docstring); carry the unhandled
    items of the group's previous meeting forward. Only while the minutes are a draft."""
    # Locked (its row only), read with the collaboration and group every point and lookup below names.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("collaboration", "group")
        .get(pk=meeting.pk)
    )
    require_editable(acting_user, meeting)
    result = DraftResult()
    # The meeting's points, read once and kept in step with every insert (``_insert_order``), rather
    # than read again for each new point; the public pages' revision raised once at the end, not twice
    # per point.
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    existing = {
        item.source.get("draft"): item
        for item in items
        if isinstance(item.source, dict) and item.source.get("draft")
    }
    dropped = set(meeting.dropped_agenda_keys or ())
    with bumps_deferred():
        for draft in cached_drafts(acting_user, meeting):
            item = existing.get(draft.key)
            if item is None and draft.key in dropped:
                continue  # the secretary deleted this point: it stays deleted
            if item is None:
                _new_point(_drafted_item(meeting, draft, acting_user), items)
                result.created += 1
            elif _refresh(item, draft, acting_user):
                result.refreshed += 1
            else:
                result.kept += 1
        result.carried = _carry_forward(meeting, acting_user, items)
        # The new points, each checked as it was made (``_new_point``), written together at their places.
        _insert_new_points(meeting, items, acting_user)
        # The opening point's attendance, prefilled once from the group's members (meeting mode edits it).
        from samverkan.meetings.services.meeting_mode import attendance_prefill

        attendance_prefill(meeting=meeting, acting_user=acting_user)
    return result


def _insert_order(meeting: Meeting, kind: str, items: list[AgendaItem] | None = None) -> int:
    """The place for a new item of ``kind``: after the items of its kind and those before it in the
    draft's order; the items after it move down one. ``items``: the meeting's points in order, when the
    caller keeps them (their ``order`` is updated here as in the database, a point not written yet only
    here; the caller inserts the new point at the place returned)."""
    if items is None:
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    rank = KIND_RANK.get(kind, KIND_RANK[Kind.OVRIGT])
    position = 0
    for index, item in enumerate(items, start=1):
        if KIND_RANK.get(item.kind, KIND_RANK[Kind.OVRIGT]) <= rank:
            position = index
    for index, item in enumerate(items, start=1):
        wanted = index + 1 if index > position else index
        if item.order != wanted:
            if item.pk is not None:
                AgendaItem.objects.filter(pk=item.pk).update(order=wanted)
            item.order = wanted
    return position + 1


def _drafted_item(meeting: Meeting, draft: Draft, acting_user: Any) -> AgendaItem:
    text = draft.text()
    return AgendaItem(
        collaboration=meeting.collaboration,
        meeting=meeting,
        kind=draft.kind,
        title=draft.title,
        prepared_text=text,
        source={**draft.source(), "hash": text_hash(text)},
        level=draft.level,
        restricted_to=draft.roles,
        updated_by=acting_user,
    )


# Related rows of a new point the draft sets from rows it read (the meeting, its collaboration, the
# writer, the previous meeting's point): valid by construction, so not read again one by one.
_DRAFT_RELATED = ["collaboration", "meeting", "updated_by", "carried_from"]


def _new_point(item: AgendaItem, items: list[AgendaItem], *, place_as: str | None = None) -> None:
    """Check a new point as ``content_save`` does (the personal-data guard, then validation), give it
    its place among ``items`` (that of a point of ``place_as``, else of its own kind) and put it there;
    written by ``_insert_new_points``."""
    guard_public_text(item)
    item.full_clean(exclude=_DRAFT_RELATED)
    item.order = _insert_order(item.meeting, place_as or item.kind, items)
    items.insert(item.order - 1, item)


def _insert_new_points(meeting: Meeting, items: list[AgendaItem], acting_user: Any) -> None:
    """Write the points not written yet in one insert, with an audit entry each (what ``content_save``
    records for a new row) in one more, and raise the collaboration's revision (no post_save here)."""
    new = [item for item in items if item.pk is None]
    if not new:
        return
    states = [snapshot(item) for item in new]  # before the insert: no id yet (set below)
    AgendaItem.objects.bulk_create(new)
    entries = []
    for state, item in zip(states, new, strict=True):
        state["id"] = item.pk
        entries.append(audit_entry(actor=acting_user, action=AuditEntry.Action.CREATE, obj=item, after=state))
    AuditEntry.objects.bulk_create(entries)
    public_revision_bump([meeting.collaboration_id])


def _refresh(item: AgendaItem, draft: Draft, acting_user: Any) -> bool:
    """Bring a drafted item up to date; True when it changed. Untouched by the secretary (its text is
    still what the draft wrote): the new text. Edited: the text stays, rows new since are added."""
    # The secretary may have made the point looser (öppen, or a begränsad point readable by more roles):
    # rows it may not hold stay out of it.
    draft = replace(draft, rows=[row for row in draft.rows if _fits(row, item)])
    text = draft.text()
    source = draft.source()
    untouched = item.source.get("hash") == text_hash(item.prepared_text)
    before = snapshot(item)
    if untouched:
        if item.prepared_text == text and {k: v for k, v in item.source.items() if k != "hash"} == source:
            return False
        item.prepared_text = text
        item.source = {**source, "hash": text_hash(text)}
    else:
        known = {
            f"{name}:{number}"
            for name, numbers in item.source.items()
            if isinstance(numbers, list)
            for number in numbers
            if isinstance(number, int)
        }
        new_rows = [row for row in draft.rows if row.key not in known]
        if not new_rows:
            return False
        added = "\n".join(f"– {row.text}" for row in new_rows)
        item.prepared_text = f"{item.prepared_text}\n{_('Nytt sedan utkastet:')}\n{added}".strip()
        merged = dict(item.source)
        for row in new_rows:
            name, number = row.key.split(":")
            merged.setdefault(name, [])
            merged[name] = [*merged[name], int(number)]
        item.source = merged
    item.updated_by = acting_user
    content_save(item, acting_user=acting_user, before=before)
    return True


def _fits(row: Row, item: AgendaItem) -> bool:
    """Whether every reader of ``item`` may read ``row``."""
    if row.level != Level.BEGRANSAD:
        return LEVEL_RANK[row.level] <= LEVEL_RANK[item.level]
    if item.level != Level.BEGRANSAD:
        return False
    return item.restricted_roles <= decode_roles(row.roles)


def _carry_forward(meeting: Meeting, acting_user: Any, items: list[AgendaItem]) -> int:
    """Copy the previous meeting's unhandled items that the draft does not build anew (the secretary's
    own items; drafted ones are rebuilt from the live rows), once each, at their own level."""
    already = {item.carried_from_id for item in items if item.carried_from_id is not None}
    dropped = set(meeting.dropped_agenda_keys or ())
    carried = 0
    # The previous meeting's points in one query (the meeting itself is read only to build a draft).
    previous = _previous_meetings(meeting).values("pk")[:1]
    for old in AgendaItem.objects.filter(meeting=Subquery(previous), handled=False).order_by("order", "pk"):
        if old.pk in already or (isinstance(old.source, dict) and old.source.get("draft")):
            continue
        if _carried_key(old.pk) in dropped:
            continue
        copy = AgendaItem(
            collaboration=meeting.collaboration,
            meeting=meeting,
            kind=old.kind,
            title=old.title,
            prepared_text="\n".join(t for t in (old.prepared_text, old.notes) if t),
            proposal=old.proposal,
            level=old.level,
            restricted_to=old.restricted_to,
            carried_from=old,
            source={"carried": old.pk},
            updated_by=acting_user,
        )
        _new_point(copy, items, place_as=Kind.OVRIGT)  # carried points go among the other business
        carried += 1
    return carried


# --- The secretary's edits ---------------------------------------------------------------------------

EDITABLE_FIELDS = ("title", "prepared_text", "notes", "proposal", "reservations")


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    title: str,
    prepared_text: str = "",
    kind: str = Kind.OVRIGT,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    acting_user: Any,
) -> AgendaItem:
    """Add a point (after the others of its kind); intern unless another level is chosen, a police
    intelligence point begränsad."""
    require_editable(acting_user, meeting)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Okänd typ av punkt.")})
    if not (title or "").strip():
        raise ValidationError({"title": _("Ange en rubrik för punkten.")})
    item = AgendaItem(
        collaboration=meeting.collaboration,
        meeting=meeting,
        kind=kind,
        title=title.strip(),
        prepared_text=prepared_text,
        updated_by=acting_user,
    )
    default = Level.BEGRANSAD if kind == Kind.POLISINFORMATION else Level.INTERN
    if not restricted_to and (level or default) == Level.BEGRANSAD:
        restricted_to = DEFAULT_RESTRICTED_TO.split(",")
    apply_level(
        item,
        user=acting_user,
        collaboration=meeting.collaboration,
        level=level,
        restricted_to=restricted_to,
        default=default,
    )
    item.order = _insert_order(meeting, kind)
    content_save(item, acting_user=acting_user)
    return item


@transaction.atomic
def agenda_item_update(
    *,
    item: AgendaItem,
    acting_user: Any,
    version: int | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    **changes: Any,
) -> AgendaItem:
    """Change a point's texts and/or level from ``version`` (``EditConflict`` with both texts if someone
    saved since); nothing is written unless all passes."""
    require_editable(acting_user, item.meeting)
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"handled"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Fältet kan inte ändras här.")})
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError({"title": _("Ange en rubrik för punkten.")})
    before = snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    if level is not None:
        apply_level(
            item,
            user=acting_user,
            collaboration=item.meeting.collaboration,
            level=level,
            restricted_to=restricted_to,
        )
    item.updated_by = acting_user
    content_save(item, acting_user=acting_user, before=before, expected_version=version)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, acting_user: Any, version: int | None = None) -> None:
    require_editable(acting_user, item.meeting)
    # Someone saved the point after the writer loaded it: 409, nothing removed (the saved text is shown
    # beside an empty one, as removing it would leave).
    check_version(item, version, {"title": ""})
    if item.decisions.exists():
        raise ValidationError(_("Punkten har beslut och kan inte tas bort."))
    key = _drafted_key(item)
    content_delete(item, acting_user=acting_user)
    if key is not None:
        # Remembered on the meeting, so refreshing the draft (or carrying forward again) does not bring
        # the point back; the row lock keeps two deletions from losing one another's key.
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        if key not in meeting.dropped_agenda_keys:
            meeting.dropped_agenda_keys = [*meeting.dropped_agenda_keys, key]
            meeting.save(update_fields=["dropped_agenda_keys"])


def _carried_key(previous_item_id: int) -> str:
    return f"carried:{previous_item_id}"


def _drafted_key(item: AgendaItem) -> str | None:
    """The key a refresh of the draft would make ``item`` again by: its draft key, or the item of the
    previous meeting it was carried from; None for a point the secretary added."""
    source = item.source if isinstance(item.source, dict) else {}
    if source.get("draft"):
        return str(source["draft"])
    if item.carried_from_id is not None:
        return _carried_key(item.carried_from_id)
    return None


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, acting_user: Any) -> None:
    """Move a point one step up or down among all the meeting's points."""
    require_editable(acting_user, item.meeting)
    items = list(AgendaItem.objects.select_for_update().filter(meeting=item.meeting).order_by("order", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for number, row in enumerate(items, start=1):
        if row.order != number:
            AgendaItem.objects.filter(pk=row.pk).update(order=number)
    # QuerySet.update sends no post_save: the order is shown (the minutes, the public version), so the
    # collaboration's revision, which keys their caches, is raised here.
    public_revision_bump([item.collaboration_id])
