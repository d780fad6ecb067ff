"""factory-boy factories for the analysis models (rows straight to the database, at the level a test
names), and a frozen part of an agreed joint picture to raise problems from."""

from __future__ import annotations

from typing import Any

import factory

from samverkan.analysis.models import Cause, Problem
from samverkan.core.models import Level
from tests.factories import CollaborationFactory


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    collaboration = factory.SubFactory(CollaborationFactory)
    title = factory.Sequence(lambda n: f"Problem {n}")
    level = Level.INTERN


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause

    problem = factory.SubFactory(ProblemFactory)
    collaboration = factory.SelfAttribute("problem.collaboration")
    text = factory.Sequence(lambda n: f"Orsak {n}")
    level = factory.SelfAttribute("problem.level")


def picture_part(version: Any, *, kind: str = "cell", level: str = Level.INTERN, **fields: Any) -> Any:
    """A frozen part of ``version`` (an agreed joint picture) as agreeing would store it."""
    from samverkan.situation.models import PictureItem

    defaults: dict[str, Any] = {
        "section_title": "Våld i offentlig miljö",
        "area_code": "vald",
        "organisation_name": "Polisen",
        "status": "rod" if kind == "cell" else "",
        "text": "Fler misshandelsfall vid busstationen på fredagskvällar.",
        "restricted_to": "polis,samordnare",
    }
    defaults.update(fields)
    return PictureItem.objects.create(
        collaboration_id=version.collaboration_id, version=version, kind=kind, level=level, **defaults
    )
