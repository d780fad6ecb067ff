"""Quantities as people write them (samverkan.core.numbers and the ``number`` template filter)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from samverkan.core.numbers import format_quantity

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "swedish", "english"),
    [
        (Decimal("55800"), f"55{NNBSP}800", "55,800"),
        (Decimal("1234567.25"), f"1{NNBSP}234{NNBSP}567,25", "1,234,567.25"),
        (Decimal("-12550"), f"-12{NNBSP}550", "-12,550"),
        (Decimal("100.0"), "100,0", "100.0"),
        (999, "999", "999"),
        (0, "0", "0"),
        (12.5, "12,5", "12.5"),
        (None, "", ""),
    ],
)
def test_thousands_grouped_and_decimals_kept(value, swedish, english):
    with translation.override("sv"):
        assert format_quantity(value) == swedish
    with translation.override("en"):
        assert format_quantity(value) == english


def test_the_template_filter():
    with translation.override("sv"):
        text = Template("{% load samverkan %}{{ v|number }} kr").render(Context({"v": Decimal("55800")}))
    assert text == f"55{NNBSP}800 kr"
