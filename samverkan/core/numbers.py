"""Numbers as people write them: Swedish "55 800" and "12,5" (a narrow no-break space between thousands,
so a figure never breaks over two lines), English "55,800" and "12.5".

Django's own grouping (USE_THOUSAND_SEPARATOR) would also group years and ids printed in templates and
URLs, so grouping is asked for where a quantity is shown: the ``number`` template filter.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language

NARROW_NO_BREAK_SPACE = "\u202f"


def format_quantity(value: Decimal | int | float | str | None) -> str:
    """``value`` with its decimals as given, thousands grouped for the active language; "" for None."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    swedish = (get_language() or "sv").startswith("sv")
    decimal_sign, group_sign = (",", NARROW_NO_BREAK_SPACE) if swedish else (".", ",")
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = group_sign.join(groups) + (decimal_sign + fraction if fraction else "")
    return ("-" if number < 0 else "") + text
