"""Demo: Malå's evaluation of 2021, generated from the demo data, approved by the REK group at its first
meeting of 2022 and its public version released by a second samordnare (the kommun's safety coordinator,
an invented person added here, since the release needs a second pair of eyes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from samverkan.core.models import Collaboration, Level, Membership, Role
from samverkan.core.registry import DemoContext
from samverkan.meetings.models import Meeting
from samverkan.reports.models import Evaluation
from samverkan.reports.services.evaluation import (
    evaluation_create,
    public_release,
    sections_save,
    version_approve,
)
from samverkan.reports.services.facts import agreements_of_year

MALA = "Malå kommun och LPO Skellefteå"
YEAR = 2021
SECOND_EMAIL = "maria.ekstrom@mala.example.org"

SUMMARY = (
    "Under 2021 höll REK-gruppen sina kvartalsmöten och tog fram gemensamma lägesbilder varje månad. "
    "Arbetet inriktades på narkotika bland unga, trafik och buskörning samt bedrägerier mot äldre."
)
ASSESSMENT = (
    "Kvällsvandringarna och samarbetet med skolan har gett effekt: oron kring centrum har minskat. "
    "Informationen om bedrägerier når ännu inte alla äldre; åtgärden behöver en ny form."
)
PROPOSALS = (
    "Fortsätt kvällsvandringarna på helger under sommaren.\n\n"
    "Gör om informationen om bedrägerier tillsammans med församlingen och hälsocentralen.\n\n"
    "Ta fram en gemensam plan för trafiken vid skolan."
)


def _second_samordnare(collaboration: Collaboration, first: Any) -> Any:
    """A second samordnare of Malå (same password as the demo's other accounts)."""
    user_model = get_user_model()
    user = user_model.objects.filter(email=SECOND_EMAIL).first()
    if user is None:
        user = user_model.objects.create(
            username=SECOND_EMAIL,
            email=SECOND_EMAIL,
            first_name="Maria",
            last_name="Ekström",
            password=first.password,
        )
    organisation = Membership.objects.get(user=first, collaboration=collaboration).organisation
    Membership.objects.get_or_create(
        user=user,
        collaboration=collaboration,
        defaults={"role": Role.SAMORDNARE, "organisation": organisation},
    )
    return user


def load_demo(demo: DemoContext) -> None:
    coordinator = demo.samordnare.get(MALA)
    collaboration = Collaboration.objects.filter(name=MALA).first()
    if coordinator is None or collaboration is None:
        return
    if Evaluation.objects.filter(collaboration=collaboration, year=YEAR).exists():
        return
    if not agreements_of_year(collaboration, YEAR):
        return  # the agreements' demo did not run (a test that loads only some apps' demos)
    version = evaluation_create(collaboration=collaboration, year=YEAR, acting_user=coordinator)
    version = sections_save(
        version=version,
        acting_user=coordinator,
        summary=SUMMARY,
        summary_level=Level.OPPEN,
        assessment=ASSESSMENT,
        assessment_level=Level.INTERN,
        proposals=PROPOSALS,
        proposals_level=Level.OPPEN,
    )
    meeting = (
        Meeting.objects.filter(collaboration=collaboration, starts_at__year=YEAR + 1)
        .order_by("starts_at")
        .first()
    )
    version = version_approve(
        version=version,
        acting_user=coordinator,
        meeting=meeting,
        decision=f"§ 3/{YEAR + 1}" if meeting else "",
    )
    public_release(version=version, acting_user=_second_samordnare(collaboration, coordinator))
