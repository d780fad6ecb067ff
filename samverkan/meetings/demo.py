"""Demo meetings, run through the meetings' own services (nothing is written past them):

- Malå's REK group, 2022: four meetings at the police station, convened and minuted by the ANDT
  coordinator, on the days the action plan was followed up (actions/demo.py). Each gets its agenda drafted
  from the cycle, attendance, the follow-ups of that day linked to the meeting (the action plan's service,
  which updates the day's row rather than making a second), notes per point, a police intelligence point
  (begränsad), an intern point, numbered decisions and a work order to the next meeting. The first three
  are justerade by two justerare, their public version approved by the chair and published; December's
  minutes are left as a draft to show that state.
- Älvsbyn's folkhälsoråd 2026 with the brottsförebyggande råd's meetings linked before and after: the
  first pair is held, the council's decisions reported back into the folkhälsoråd's agenda, and both
  minutes published.

The demo's own sentences are Swedish and marked with ``gettext_noop`` so the catalogue collects them
(``core.shipped``). Run again, it changes nothing: a meeting that already has an agenda is left alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from samverkan.actions.models import Action, FollowUp, WorkOrder
from samverkan.actions.services.workorders import work_order_complete
from samverkan.agreements.models import Group
from samverkan.core.models import Collaboration, Level, Organisation
from samverkan.core.publication import bumps_deferred
from samverkan.core.registry import DemoContext
from samverkan.meetings.models import AgendaItem, Attendance, Meeting
from samverkan.meetings.services.agenda import agenda_item_update, draft_agenda, meeting_day
from samverkan.meetings.services.decisions import record_decision
from samverkan.meetings.services.justering import approve, send_for_justering
from samverkan.meetings.services.meeting_mode import (
    attendance_set,
    meeting_followup,
    meeting_work_order,
)
from samverkan.meetings.services.planning import meeting_create, meeting_update, plan_year, stockholm_moment
from samverkan.meetings.services.publishing import approve_public_version, publish

MALA = "Malå kommun och LPO Skellefteå"
ALVSBYN = "Älvsbyns kommun och LPO Piteå älvdal"
# The REK meetings of 2022, the days Malå's action plan was followed up (actions/demo.py).
MALA_YEAR = 2022
ALVSBYN_YEAR = 2026
Kind = AgendaItem.Kind
PRESENT, ABSENT, SUBSTITUTE = (
    Attendance.Status.NARVARANDE,
    Attendance.Status.FRANVARANDE,
    Attendance.Status.ERSATTARE,
)
# The level each drafted point is given by the secretary (the draft makes every point intern, the police
# point begränsad): the points the public may read are opened, the parties' pictures stay intern.
OPENED = {
    Kind.OPPNANDE,
    Kind.UPPFOLJNING,
    Kind.ATERRAPPORTERING,
    Kind.BESLUT,
    Kind.NYA_ARBETSORDER,
    Kind.NASTA_MOTE,
}


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    organisation: str
    email: str = ""  # a demo login (core/demo.py) when the person has one


@dataclass(frozen=True)
class Story:
    """What happens at one demo meeting: notes per kind of point, decisions (at the Beslut point, öppen;
    at the lägesbild point, intern), a work order to the next meeting, who is away or stands in."""

    notes: dict[str, str]
    decisions: tuple[str, ...]
    intern_decision: str = ""
    work_order: tuple[str, str] | None = None  # title, organisation
    absent: tuple[str, ...] = ()
    substitutes: tuple[tuple[str, str], ...] = ()  # (substitute's name, whom they stand in for)
    justerad: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


# --- Malå ----------------------------------------------------------------------------------------------

KARIN = "karin.lindqvist@mala.example.org"
MALA_PEOPLE = (
    Person(
        "Karin Lindqvist",
        gettext_noop("Sammankallande, ANDT-samordnare"),
        "Malå kommun – kommunledningen",
        KARIN,
    ),
    Person(
        "Johan Nyström", gettext_noop("Ordförande"), "Malå kommun – skolan", "johan.nystrom@mala.example.org"
    ),
    Person(
        "Erik Holmgren",
        gettext_noop("Ledamot"),
        "Polisen, LPO Skellefteå",
        "erik.holmgren@polisen.example.org",
    ),
    Person(
        "Sofia Berg", gettext_noop("Ledamot"), "Malå kommun – socialtjänsten", "sofia.berg@mala.example.org"
    ),
    Person(
        "Lina Åberg", gettext_noop("Ledamot"), "Malå kommun – fritidsgården", "lina.aberg@mala.example.org"
    ),
    Person("Annika Fjällgren", gettext_noop("Ledamot"), "Hälsocentralen i Malå, Region Västerbotten"),
    Person("Mats Rönnqvist", gettext_noop("Ledamot"), "Företagare i Malå"),
    Person("Birgitta Holm", gettext_noop("Ledamot"), "Malå församling"),
    Person("Ulf Granberg", gettext_noop("Adjungerad"), "Malå räddningstjänst"),
)
MALA_CHAIR = "johan.nystrom@mala.example.org"
MALA_JUSTERARE = ("erik.holmgren@polisen.example.org", "sofia.berg@mala.example.org")

MALA_STORIES = (
    Story(
        notes={
            Kind.OPPNANDE: gettext_noop(
                "Ordföranden öppnade mötet och hälsade alla välkomna. Dagordningen godkändes. Erik Holmgren "
                "och Sofia Berg valdes att justera protokollet."
            ),
            Kind.UPPFOLJNING: gettext_noop(
                "Åtgärderna mot narkotika och buskörning är gröna. Avlämningsplatsen vid skolan är gul: "
                "projekteringen är klar men upphandlingen har inte börjat."
            ),
            Kind.LAGESBILD: gettext_noop(
                "Skolan ser fler elever i årskurs 8 och 9 som snusar. Socialtjänsten har fått två "
                "orosanmälningar om unga och alkohol sedan förra mötet. Fritidsgården har fler besökare "
                "på fredagskvällarna."
            ),
            Kind.POLISINFORMATION: gettext_noop(
                "Polisen redovisade underrättelser om narkotikaförsäljning från en bil som står vid "
                "idrottsplatsen sena kvällar. Uppgifterna lämnar inte rummet."
            ),
            Kind.GEMENSAM_LAGESBILD: gettext_noop(
                "Gruppen är enig om att narkotika bland unga och trafiken vid skolan är kvartalets viktigaste frågor."
            ),
            Kind.BESLUT: gettext_noop("Mötet fattade två beslut."),
        },
        decisions=(
            gettext_noop("Uppföljningen av åtgärdsplanen för första kvartalet 2022 godkänns."),
            gettext_noop("Polisen och fritidsgården gör gemensamma kvällsbesök i centrum under påsklovet."),
        ),
        intern_decision=gettext_noop(
            "Skolan och socialtjänsten tar fram en gemensam rutin när elever upptäcks snusa."
        ),
        work_order=(
            gettext_noop("Boka lokal och talare till föräldramötet om droger i maj"),
            "Malå kommun – skolan",
        ),
        absent=("Mats Rönnqvist",),
    ),
    Story(
        notes={
            Kind.OPPNANDE: gettext_noop(
                "Ordföranden öppnade mötet. Närvaron noterades och dagordningen godkändes. Erik Holmgren och "
                "Sofia Berg valdes att justera protokollet."
            ),
            Kind.ARBETSORDER: gettext_noop(
                "Föräldramötet hölls i maj med ett fyrtiotal föräldrar. Arbetsordern är klar."
            ),
            Kind.UPPFOLJNING: gettext_noop(
                "Avlämningsplatsen vid skolan är fortfarande gul. Informationsträffarna om bedrägerier blev "
                "färre än planerat under våren och bedöms gula."
            ),
            Kind.LAGESBILD: gettext_noop(
                "Räddningstjänsten påminde om eldningsförbudet i skogen. Församlingen har haft besök av "
                "äldre som fått bedrägerisamtal. Fritidsgården håller öppet två kvällar i veckan i sommar."
            ),
            Kind.POLISINFORMATION: gettext_noop(
                "Polisen berättade om en misstänkt langare som kan dyka upp under Malådagarna. Namnet "
                "nämndes muntligt och antecknas inte."
            ),
            Kind.GEMENSAM_LAGESBILD: gettext_noop(
                "Gruppen enades om att sommarens risker är alkohol till unga under Malådagarna och bedrägerier mot äldre."
            ),
            Kind.BESLUT: gettext_noop("Mötet fattade två beslut."),
        },
        decisions=(
            gettext_noop(
                "Trygghetstältet på Malådagarna bemannas av kommunen, polisen och räddningstjänsten."
            ),
            gettext_noop(
                "Församlingen och polisen håller en extra informationsträff om bedrägerier i augusti."
            ),
        ),
        intern_decision=gettext_noop(
            "Fritidsgården och polisen stämmer av läget varje fredag under sommarlovet."
        ),
        work_order=(
            gettext_noop("Ta fram schema för trygghetstältet på Malådagarna"),
            "Malå kommun – kommunledningen",
        ),
        substitutes=(("Eva Lidén", "Lina Åberg"),),
    ),
    Story(
        notes={
            Kind.OPPNANDE: gettext_noop(
                "Ordföranden öppnade mötet. Dagordningen godkändes med ett tillägg om skolstarten. Erik "
                "Holmgren och Sofia Berg valdes att justera protokollet."
            ),
            Kind.ARBETSORDER: gettext_noop("Schemat för trygghetstältet följdes. Arbetsordern är klar."),
            Kind.UPPFOLJNING: gettext_noop(
                "Avlämningsplatsen och farthindren vid skolan bedöms röda: upphandlingen har inte kommit i "
                "gång och skolan har börjat. Övriga åtgärder är gröna."
            ),
            Kind.LAGESBILD: gettext_noop(
                "Skolstarten gick lugnt. Hälsocentralen ser fler unga som söker för ångest. Företagarna "
                "rapporterar färre snatterier under sommaren."
            ),
            Kind.POLISINFORMATION: gettext_noop(
                "Polisen redovisade att narkotikaförsäljningen vid idrottsplatsen har flyttat till en "
                "privat adress. Spaning pågår och uppgifterna stannar i rummet."
            ),
            Kind.GEMENSAM_LAGESBILD: gettext_noop(
                "Gruppen är enig om att trafiken vid skolan är den mest akuta frågan."
            ),
            Kind.BESLUT: gettext_noop("Mötet fattade två beslut."),
        },
        decisions=(
            gettext_noop(
                "Åtgärden Säker avlämningsplats och farthinder vid skolan bedöms röd och lyfts till "
                "kommunledningen."
            ),
            gettext_noop("Resultatet av ANDT-kartläggningen i årskurs 9 redovisas på decembermötet."),
        ),
        intern_decision=gettext_noop(
            "Hälsocentralen och skolan bjuds in till ett gemensamt möte om ungas psykiska hälsa."
        ),
        work_order=(
            gettext_noop("Redovisa ANDT-kartläggningen i årskurs 9"),
            "Malå kommun – kommunledningen",
        ),
        absent=("Birgitta Holm",),
    ),
    Story(
        notes={
            Kind.OPPNANDE: gettext_noop(
                "Ordföranden öppnade mötet. Dagordningen godkändes. Erik Holmgren och Sofia Berg valdes att "
                "justera protokollet."
            ),
            Kind.UPPFOLJNING: gettext_noop(
                "Farthindren vid skolan är röda för andra gången i rad. Övriga åtgärder är genomförda och gröna."
            ),
            Kind.LAGESBILD: gettext_noop(
                "ANDT-kartläggningen i årskurs 9 visar att färre provat alkohol men fler snusar. Skolan vill "
                "fortsätta föräldramötena nästa år."
            ),
            Kind.POLISINFORMATION: gettext_noop(
                "Polisen redovisade läget i den pågående narkotikautredningen. Inga uppgifter antecknas utöver att punkten togs upp."
            ),
            Kind.BESLUT: gettext_noop("Protokollet är ännu inte justerat."),
        },
        decisions=(
            gettext_noop(
                "Gruppen föreslår att avlämningsplatsen vid skolan förs över till nästa åtgärdsplan."
            ),
        ),
        justerad=False,
        absent=("Ulf Granberg",),
    ),
)

# --- Älvsbyn ---------------------------------------------------------------------------------------------

MARIA = "maria.sundberg@alvsbyn.example.org"
ALVSBYN_PEOPLE = (
    Person("Maria Sundberg", gettext_noop("Sammankallande"), "Älvsbyns kommun – kommunledningen", MARIA),
    Person(
        "Anders Lund", gettext_noop("Ledamot"), "Polisen, LPO Piteå älvdal", "anders.lund@polisen.example.org"
    ),
    Person(
        "Helena Forsberg",
        gettext_noop("Ledamot"),
        "Region Norrbotten, närsjukvården i Älvsbyn",
        "helena.forsberg@alvsbyn.example.org",
    ),
    Person(
        "Oskar Vikström",
        gettext_noop("Ledamot"),
        "Företagarföreningen i Älvsbyn",
        "oskar.vikstrom@alvsbyn.example.org",
    ),
    Person("Jonas Lindbäck", gettext_noop("Ledamot"), "Älvsbyns kommun – socialtjänsten"),
    Person("Camilla Nordin", gettext_noop("Ledamot"), "Älvsbyns kommun – barn och utbildning"),
    Person("Petra Ek", gettext_noop("Ledamot"), "Föreningsrådet i Älvsbyn"),
)
# Who takes part in the operative council (the strategic folkhälsoråd has everyone).
BRA_PEOPLE = {"Maria Sundberg", "Anders Lund", "Jonas Lindbäck", "Camilla Nordin"}
ALVSBYN_STRATEGIC_CHAIR = "helena.forsberg@alvsbyn.example.org"
ALVSBYN_OPERATIVE_CHAIR = "anders.lund@polisen.example.org"
ALVSBYN_JUSTERARE = ("oskar.vikstrom@alvsbyn.example.org", "helena.forsberg@alvsbyn.example.org")
ALVSBYN_STRATEGIC_JUSTERARE = ("anders.lund@polisen.example.org", "oskar.vikstrom@alvsbyn.example.org")

BRA_STORY = Story(
    notes={
        Kind.OPPNANDE: gettext_noop(
            "Mötet öppnades. Oskar Vikström och Helena Forsberg valdes att justera protokollet."
        ),
        Kind.LAGESBILD: gettext_noop(
            "Skolan ser mer otrygghet i centrum efter skoltid. Socialtjänsten har fler ärenden om unga som "
            "dricker alkohol på helgerna."
        ),
        Kind.POLISINFORMATION: gettext_noop(
            "Polisen redovisade uppgifter om vuxna som köper ut alkohol till unga via sociala medier. "
            "Uppgifterna lämnar inte rummet."
        ),
        Kind.BESLUT: gettext_noop("Rådets förslag återrapporteras till folkhälsorådet."),
    },
    decisions=(
        gettext_noop(
            "Brottsförebyggande rådet föreslår folkhälsorådet att vuxenvandringar ordnas på fredagskvällar i centrum."
        ),
        gettext_noop(
            "Rådet återrapporterar att skolans trygghetsenkät visar ökad otrygghet i centrum efter skoltid."
        ),
    ),
    intern_decision=gettext_noop(
        "Socialtjänsten och polisen gör en gemensam kartläggning av var unga dricker på helgerna."
    ),
)

STRATEGIC_STORY = Story(
    notes={
        Kind.OPPNANDE: gettext_noop(
            "Ordföranden öppnade mötet. Anders Lund och Oskar Vikström valdes att justera protokollet."
        ),
        Kind.ATERRAPPORTERING: gettext_noop(
            "Brottsförebyggande rådets ordförande redovisade rådets förslag. Folkhälsorådet ställde sig bakom dem."
        ),
        Kind.LAGESBILD: gettext_noop(
            "Närsjukvården ser fler unga som söker för alkoholförgiftning efter helger. Föreningsrådet vill "
            "bidra med vuxna till vuxenvandringarna."
        ),
        Kind.POLISINFORMATION: gettext_noop(
            "Polisen gav en kort bild av läget kring langning till unga. Detaljerna redovisades muntligt."
        ),
        Kind.BESLUT: gettext_noop("Folkhälsorådet fattade ett beslut."),
    },
    decisions=(
        gettext_noop(
            "Folkhälsorådet ger brottsförebyggande rådet i uppdrag att ordna vuxenvandringar på "
            "fredagskvällar under hösten tillsammans med föreningslivet."
        ),
    ),
    absent=("Petra Ek",),
)


def load_demo(demo: DemoContext) -> None:
    """Malå's REK year and Älvsbyn's linked strategic and operative meetings (in Swedish, whatever
    language the command runs in: the drafted agenda's titles are stored as written)."""
    # Nothing public is rendered while the demo writes: the public pages' revision is raised once.
    with translation.override("sv"), bumps_deferred():
        _mala(demo.samordnare.get(MALA))
        _alvsbyn(demo.samordnare.get(ALVSBYN))


def _group(collaboration_name: str, kind: str) -> Group | None:
    collaboration = Collaboration.objects.filter(name=collaboration_name).first()
    if collaboration is None:
        return None
    return Group.objects.filter(collaboration=collaboration, kind=kind, is_active=True).order_by("pk").first()


def _user(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()


def _mala(coordinator: Any) -> None:
    group = _group(MALA, Group.Kind.REK)
    if coordinator is None or group is None:
        return
    from samverkan.actions.demo import REK_MEETINGS

    chair = _user(MALA_CHAIR)
    justerare = [_user(email) for email in MALA_JUSTERARE]
    meetings = []
    for day in [d for d in REK_MEETINGS if d.year == MALA_YEAR]:
        starts_at = stockholm_moment(day, dt.time(9, 0))
        meeting = Meeting.objects.filter(group=group, starts_at=starts_at).first()
        if meeting is None:
            meeting = meeting_create(
                collaboration=group.collaboration,
                group=group,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2, minutes=30),
                place=group.place or "Polisstationen i Malå",
                convener=coordinator,
                chair=chair,
                secretary=coordinator,
                justerare=justerare,
                acting_user=coordinator,
            )
        meetings.append(meeting)
    previous: Meeting | None = None
    for meeting, story in zip(meetings, MALA_STORIES, strict=True):
        _hold(meeting, story, MALA_PEOPLE, coordinator, chair, justerare, previous)
        previous = meeting


def _alvsbyn(coordinator: Any) -> None:
    strategic = _group(ALVSBYN, Group.Kind.FOLKHALSORAD)
    if coordinator is None or strategic is None:
        return
    if not Meeting.objects.filter(group=strategic).exists():
        plan_year(
            group=strategic,
            year=ALVSBYN_YEAR,
            weekday=2,  # Wednesdays
            week=2,
            start_time=dt.time(13, 0),
            duration=dt.timedelta(hours=2),
            place=strategic.place,
            convener=coordinator,
            with_linked=True,
            acting_user=coordinator,
        )
    first = Meeting.objects.filter(group=strategic).order_by("starts_at", "pk").first()
    before = (
        Meeting.objects.filter(linked_meeting=first, link_relation=Meeting.Relation.FORE).first()
        if first
        else None
    )
    if first is None or before is None:
        return
    people = [p for p in ALVSBYN_PEOPLE if p.name in BRA_PEOPLE]
    # The operative council first: its decisions are reported back into the folkhälsoråd's agenda.
    _hold(
        before,
        BRA_STORY,
        tuple(people),
        coordinator,
        _user(ALVSBYN_OPERATIVE_CHAIR),
        [_user(email) for email in ALVSBYN_JUSTERARE],
        None,
    )
    _hold(
        first,
        STRATEGIC_STORY,
        ALVSBYN_PEOPLE,
        coordinator,
        _user(ALVSBYN_STRATEGIC_CHAIR),
        [_user(email) for email in ALVSBYN_STRATEGIC_JUSTERARE],
        None,
    )


@transaction.atomic
def _hold(
    meeting: Meeting,
    story: Story,
    people: tuple[Person, ...],
    secretary: Any,
    chair: Any,
    justerare: list[Any],
    previous: Meeting | None,
) -> None:
    """One meeting from agenda to published minutes, as the secretary, the justerare and the chair would
    go through it in the app. A meeting that already has an agenda is left as it is."""
    if AgendaItem.objects.filter(meeting=meeting).exists():
        return
    if (
        meeting.secretary_id != secretary.pk
        or meeting.chair_id != getattr(chair, "pk", None)
        or (set(meeting.justerare.values_list("pk", flat=True)) != {u.pk for u in justerare})
    ):
        meeting = meeting_update(
            meeting=meeting,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
            title=meeting.title,
            convener=meeting.convener or secretary,
            chair=chair,
            secretary=secretary,
            justerare=justerare,
            acting_user=secretary,
        )
    # Attendance first: the draft's prefill from the group's members is then left out (it would be
    # replaced at once).
    _attendance(meeting, story, people, secretary)
    draft_agenda(meeting, secretary)
    points = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    items: dict[str, AgendaItem] = {}
    for item in points:  # per kind, its first point (a begränsad bucket of the same kind comes after)
        items.setdefault(item.kind, item)
    # One save per point: its notes, the level the secretary gives it, and handled.
    for item in points:
        first = items[item.kind] is item
        changes: dict[str, Any] = {"handled": True}
        if first and story.notes.get(item.kind):
            changes["notes"] = story.notes[item.kind]
        level = Level.OPPEN if first and item.kind in OPENED else None
        agenda_item_update(item=item, acting_user=secretary, level=level, **changes)
    if previous is not None:
        _work_orders_reported(previous, secretary)
    _followups(meeting, items.get(Kind.UPPFOLJNING), secretary)
    for text in story.decisions:
        record_decision(meeting=meeting, text=text, item=items.get(Kind.BESLUT), acting_user=secretary)
    if story.intern_decision:
        record_decision(
            meeting=meeting, text=story.intern_decision, item=items.get(Kind.LAGESBILD), acting_user=secretary
        )
    if story.work_order:
        title, organisation = story.work_order
        meeting_work_order(
            meeting=meeting,
            item=items.get(Kind.NYA_ARBETSORDER),
            title=title,
            organisation=Organisation.objects.filter(name=organisation).first(),
            level=Level.INTERN,
            acting_user=secretary,
        )
    # Held long ago; no service marks a meeting held (meeting mode has no "close" step yet).
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.GENOMFORT)
    if not story.justerad:
        return
    send_for_justering(meeting=meeting, acting_user=secretary)
    for person in justerare:
        approve(meeting=meeting, acting_user=person)
    approve_public_version(meeting=meeting, acting_user=chair)
    publish(meeting=meeting, acting_user=secretary)


def _attendance(meeting: Meeting, story: Story, people: tuple[Person, ...], secretary: Any) -> None:
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            participations__collaboration=meeting.collaboration, name__in=[p.organisation for p in people]
        )
    }
    entries: list[dict[str, Any]] = []
    for person in people:
        entries.append(
            {
                "name": person.name,
                "role": person.role,
                "organisation": organisations.get(person.organisation),
                "status": ABSENT if person.name in story.absent else PRESENT,
            }
        )
        for substitute, stands_in_for in story.substitutes:
            if stands_in_for == person.name:
                entries[-1]["status"] = ABSENT
                entries.append(
                    {
                        "name": substitute,
                        "role": person.role,
                        "organisation": organisations.get(person.organisation),
                        "status": SUBSTITUTE,
                        "substitute_for": person.name,
                    }
                )
    attendance_set(meeting=meeting, entries=entries, acting_user=secretary)


def _followups(meeting: Meeting, item: AgendaItem | None, secretary: Any) -> None:
    """Link the day's follow-ups (made by the action plan's demo) to the meeting through the meeting's
    follow-up service: the same values again, so the day's row is updated in place, not duplicated."""
    day = meeting_day(meeting)
    rows = (
        FollowUp.objects.filter(action__collaboration=meeting.collaboration, followed_up_on=day)
        .select_related("action")
        .order_by("action__number", "pk")
    )
    for row in rows:
        meeting_followup(
            meeting=meeting,
            item=item,
            action=Action.objects.get(pk=row.action_id),
            rating=row.rating,
            done=row.done,
            outcome=row.outcome,
            reason=row.reason,
            hours_spent=row.hours_spent,
            cost_spent=row.cost_spent,
            occasion=row.occasion,
            acting_user=secretary,
        )


def _work_orders_reported(previous: Meeting, secretary: Any) -> None:
    """The work orders given at the previous meeting were reported done at this one."""
    for order in WorkOrder.objects.filter(
        collaboration=previous.collaboration, status=WorkOrder.Status.OPPEN, due_next_meeting=False
    ).filter(pk__in=_ids(previous, "new_work_orders")):
        work_order_complete(work_order=order, acting_user=secretary)


def _ids(meeting: Meeting, key: str) -> list[int]:
    ids: list[int] = []
    for source in AgendaItem.objects.filter(meeting=meeting).values_list("source", flat=True):
        if isinstance(source, dict):
            ids += [n for n in source.get(key, []) if isinstance(n, int)]
    return ids
