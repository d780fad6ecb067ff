"""factory-boy factories for the agreements models, and an agreement created through its service.

The factories write rows straight to the database (a level the test names, no validation), for tests
that need content to read; ``draft_agreement`` goes through ``services.agreement_create`` like a
samordnare, for tests of what writing does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from samverkan.agreements import services
from samverkan.agreements.models import (
    Agreement,
    CitizenPromise,
    FactSource,
    FocusArea,
    Group,
    GroupMember,
    PromiseActivity,
)
from samverkan.core.models import Collaboration
from tests.factories import CollaborationFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    collaboration = factory.SubFactory(CollaborationFactory)
    title = factory.Sequence(lambda n: f"Överenskommelse {n}")
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2025, 12, 31)


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    agreement = factory.SubFactory(AgreementFactory)
    collaboration = factory.SelfAttribute("agreement.collaboration")
    title = factory.Sequence(lambda n: f"Fokusområde {n}")


class FactSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FactSource

    agreement = factory.SubFactory(AgreementFactory)
    collaboration = factory.SelfAttribute("agreement.collaboration")
    kind = FactSource.Kind.ANNAN
    rhythm = FactSource.Rhythm.LOPANDE


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    collaboration = factory.SubFactory(CollaborationFactory)
    name = factory.Sequence(lambda n: f"Grupp {n}")
    kind = Group.Kind.ANNAN


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMember

    group = factory.SubFactory(GroupFactory)
    collaboration = factory.SelfAttribute("group.collaboration")


class CitizenPromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenPromise

    collaboration = factory.SubFactory(CollaborationFactory)
    title = factory.Sequence(lambda n: f"Medborgarlöfte {n}")
    text = "Text"
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2025, 12, 31)


class PromiseActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromiseActivity

    promise = factory.SubFactory(CitizenPromiseFactory)
    collaboration = factory.SelfAttribute("promise.collaboration")
    description = factory.Sequence(lambda n: f"Aktivitet {n}")


def draft_agreement(*, collaboration: Collaboration, acting_user: Any, **fields: Any) -> Agreement:
    """A draft written through the service: 2027–2029 over the collaboration's kommuner unless told."""
    values = {
        "title": "Ny överenskommelse",
        "start_date": dt.date(2027, 1, 1),
        "end_date": dt.date(2029, 12, 31),
        "kommuner": list(collaboration.kommuner.all()),
        **fields,
    }
    return services.agreement_create(collaboration=collaboration, acting_user=acting_user, **values)
