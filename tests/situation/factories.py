"""factory-boy factories for lägesbild rows (core ones in tests/factories.py), and the question lookup.

The factories write rows directly, as the ``world`` fixture does, for tests whose subject is not the
service that would otherwise make them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from samverkan.core.models import Level
from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Answer, Event, EventCategory, Question, Report, Round, Template
from samverkan.situation.services.rounds import period_bounds
from samverkan.situation.services.templates import template_as_sections, template_revise
from tests.factories import CollaborationFactory


def question(template_or_round: Any, kind: str, area: str = "ordning") -> Question:
    """The question of ``kind`` in the template's area ``area`` (of a round: its template's)."""
    template = getattr(template_or_round, "template", template_or_round)
    return Question.objects.get(section__template=template, section__area_code=area, kind=kind)


def revision_of(template: Template, *, collaboration: Any, acting_user: Any, **changes: Any) -> Template:
    """The template revised unchanged (through the service) into the collaboration's next version."""
    return template_revise(
        template=template,
        collaboration=collaboration,
        sections=template_as_sections(template),
        acting_user=acting_user,
        **changes,
    )


class RoundFactory(factory.django.DjangoModelFactory):
    """A round (monthly by default) whose deadline is ahead; ``organisations=[...]`` are asked."""

    class Meta:
        model = Round
        skip_postgeneration_save = True

    collaboration = factory.SubFactory(CollaborationFactory)
    template = factory.LazyFunction(ensure_default_template)
    period = Round.Period.MONTH
    period_start = dt.date(2026, 11, 1)
    period_end = factory.LazyAttribute(lambda o: period_bounds(o.period, o.period_start)[1])
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))

    @factory.post_generation
    def organisations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.organisations.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft report; ``submitted=True`` makes it submitted now."""

    class Meta:
        model = Report

    class Params:
        submitted = factory.Trait(
            status=Report.Status.INSKICKAD, submitted_at=factory.LazyFunction(timezone.now)
        )

    round = factory.SubFactory(RoundFactory)
    collaboration = factory.SelfAttribute("round.collaboration")
    organisation = factory.SubFactory("tests.factories.OrganisationFactory")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    report = factory.SubFactory(ReportFactory)
    collaboration = factory.SelfAttribute("report.collaboration")
    question = factory.LazyAttribute(lambda o: question(o.report.round, Question.Kind.STATUS))
    level = Level.INTERN


class EventFactory(factory.django.DjangoModelFactory):
    """An intern event in Malå yesterday, in the shipped "Hot och våld" category."""

    class Meta:
        model = Event

    collaboration = factory.SubFactory(CollaborationFactory)
    level = Level.INTERN
    category = factory.LazyFunction(
        lambda: EventCategory.objects.filter(collaboration=None, area_code="vald").first()
    )
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    kommun_id = "2418"
    description = factory.Sequence(lambda n: f"Händelse {n}")


def events_at(
    collaboration: Any, point: tuple[float, float], n: int, level: str = Level.INTERN
) -> list[Event]:
    """``n`` ordningsstörningar in kommun 2418 ten days ago, an hour apart, a couple of metres apart
    north of ``point`` (latitude, longitude): one cluster for the maps' hexagons."""
    category = EventCategory.objects.filter(collaboration=None, area_code="ordning").first()
    when = timezone.now() - dt.timedelta(days=10)
    return [
        Event.objects.create(
            collaboration=collaboration,
            level=level,
            category=category,
            occurred_at=when - dt.timedelta(hours=i),
            kommun_id="2418",
            latitude=point[0] + i * 0.00002,
            longitude=point[1],
            description=f"Händelse {i}",
        )
        for i in range(n)
    ]
