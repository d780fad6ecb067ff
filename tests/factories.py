"""factory-boy factories for the core models."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from samverkan.core.models import Collaboration, Level, Membership, Notice, Organisation, Participation, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.django.Password("losenord-for-test-1")

    @factory.post_generation
    def email_address(self, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"primary": True, "verified": True}
            )


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collaboration
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Samverkan {n}")

    @factory.post_generation
    def kommuner(self, create, extracted, **kwargs):
        if create:
            self.kommuner.set(extracted or ["2418"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.KOMMUNAL_FORVALTNING
    home_kommun_id = "2418"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    collaboration = factory.SubFactory(CollaborationFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    collaboration = factory.SubFactory(CollaborationFactory)
    role = Role.LEDAMOT


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    collaboration = factory.SubFactory(CollaborationFactory)
    title = factory.Sequence(lambda n: f"Meddelande {n}")
    body = "Text"
    level = Level.INTERN


class CountyReaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.CountyReader"

    user = factory.SubFactory(UserFactory)
    lan_id = "24"
