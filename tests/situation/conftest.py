"""Fixtures the lägesbild tests share."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.situation.defaults import ensure_default_template
from samverkan.situation.models import Round
from samverkan.situation.services.rounds import round_create


@pytest.fixture
def open_round(world):
    """This month's round of collaboration A, opened by the samordnare through the service."""
    return round_create(
        collaboration=world.a,
        template=ensure_default_template(),
        period=Round.Period.MONTH,
        period_start=timezone.localdate().replace(day=1),
        acting_user=world.users["samordnare"],
    )
