"""Indicators of an action: how its effect is measured (baseline, target, direction), by hand or from the
statistics. A statistics indicator's target is kept as an ``indicators.Target`` of the collaboration and
kommun, so it is drawn as the target line on that indicator's chart; its values come from the imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator
from samverkan.actions.services.plan import require_plan_editor
from samverkan.core.audit import snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import apply_level, content_delete, content_save, next_order
from samverkan.core.models import Kommun, Level
from samverkan.indicators.models import Indicator, Target

# An indicator's values are counts, rates and shares; this bounds what a slip of the keyboard can store.
MAX_VALUE = Decimal("1000000000000")


def _validate(
    *,
    action: Action,
    source: str,
    indicator: Indicator | None,
    kommun: Kommun | None,
    baseline: Decimal | None,
    target: Decimal | None,
    direction: str,
) -> None:
    errors: dict[str, str] = {}
    if source not in ActionIndicator.Source.values:
        errors["source"] = _("Okänd källa.")
    elif source == ActionIndicator.Source.STATISTIK:
        if indicator is None:
            errors["indicator"] = _("Välj en indikator i statistiken.")
        if kommun is None:
            errors["kommun"] = _("Välj vilken av samverkans kommuner indikatorn gäller.")
        elif not action.collaboration.kommuner.filter(pk=kommun.pk).exists():
            errors["kommun"] = _("Kommunen ingår inte i samverkan.")
    if direction and direction not in ActionIndicator.Direction.values:
        errors["direction"] = _("Okänd riktning.")
    for name, value in (("baseline", baseline), ("target", target)):
        if value is not None and abs(value) > MAX_VALUE:
            errors[name] = _("Värdet är orimligt stort.")
    if target is not None and "target" not in errors:
        # A target means something only against a starting point and a direction (Brå: measurable).
        if not direction:
            errors["direction"] = _("Ett målvärde kräver en riktning: ska värdet minska, öka eller hållas?")
        if baseline is None:
            errors["baseline"] = _("Ett målvärde kräver ett utgångsvärde att jämföra med.")
    if errors:
        raise ValidationError(errors)


def _target_label(action: Action) -> str:
    """What the chart calls the line. A Target has no level and every member of the collaboration sees
    its lines, so only an öppen action lends its title; others are named by number."""
    if action.level == Level.OPPEN:
        return f"{action.number}. {action.title}"[:200]
    return _("Mål för åtgärd %(number)s") % {"number": action.number}


def sync_target_line(row: ActionIndicator) -> None:
    """Create, update or remove the statistics chart's target line so it says what the indicator says."""
    wanted = (
        row.source == ActionIndicator.Source.STATISTIK
        and row.indicator_id is not None
        and row.kommun_id is not None
        and row.target is not None
    )
    line = row.target_line
    if not wanted:
        if line is not None:
            row.target_line = None
            row.save(update_fields=["target_line"])
            line.delete()
        return
    line = line or Target()
    line.indicator_id = row.indicator_id  # type: ignore[assignment]
    line.kommun_id = row.kommun_id
    line.collaboration_id = row.collaboration_id
    line.value = row.target  # type: ignore[assignment]
    line.valid_from, line.valid_to = row.baseline_on, row.target_on
    line.label = _target_label(row.action)
    line.save()
    if row.target_line_id != line.pk:
        row.target_line = line
        row.save(update_fields=["target_line"])


@transaction.atomic
def action_indicator_save(
    *,
    action: Action,
    name: str,
    source: str = ActionIndicator.Source.MANUELL,
    unit: str = "",
    indicator: Indicator | None = None,
    kommun: Kommun | None = None,
    baseline: Decimal | None = None,
    baseline_on: dt.date | None = None,
    target: Decimal | None = None,
    target_on: dt.date | None = None,
    direction: str = "",
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    row: ActionIndicator | None = None,
    acting_user: Any,
    version: int | None = None,
) -> ActionIndicator:
    """Add an indicator to ``action`` (or change ``row`` from its ``version``: EditConflict, nothing
    written, if someone saved it since). Without a level it takes the action's."""
    require_plan_editor(acting_user, action.collaboration)
    if source != ActionIndicator.Source.STATISTIK:
        indicator, kommun = None, None
    _validate(
        action=action,
        source=source,
        indicator=indicator,
        kommun=kommun,
        baseline=baseline,
        target=target,
        direction=direction,
    )
    if source == ActionIndicator.Source.STATISTIK and indicator is not None:
        name = name or indicator.name
        unit = unit or indicator.unit
    if not name.strip():
        raise ValidationError({"name": _("Ange vad som mäts.")})
    if row is not None:
        # The chart line is the service's, not the writer's: a row loaded before someone else's save must
        # neither show it as a conflict nor draw a second line.
        row.refresh_from_db(fields=["target_line"])
    before = snapshot(row) if row else None
    saved = row or ActionIndicator(
        collaboration=action.collaboration, action=action, order=next_order(action.indicators)
    )
    saved.name, saved.unit, saved.source, saved.indicator, saved.kommun = (
        name,
        unit,
        source,
        indicator,
        kommun,
    )
    saved.baseline, saved.baseline_on, saved.target, saved.target_on = (
        baseline,
        baseline_on,
        target,
        target_on,
    )
    saved.direction = direction
    if level is None and saved.pk is None:
        level, restricted_to = action.level, sorted(action.restricted_roles)
    apply_level(
        saved, user=acting_user, collaboration=action.collaboration, level=level, restricted_to=restricted_to
    )
    content_save(saved, acting_user=acting_user, before=before, expected_version=version)
    sync_target_line(saved)
    return saved


@transaction.atomic
def action_indicator_delete(*, row: ActionIndicator, acting_user: Any, version: int | None = None) -> None:
    """Remove an indicator (and its chart line); from ``version``, only if nobody changed it since."""
    require_plan_editor(acting_user, row.collaboration)
    check_version(row, version, {"name": ""})
    row.refresh_from_db(fields=["target_line"])
    line = row.target_line
    content_delete(row, acting_user=acting_user)
    if line is not None:
        line.delete()


def refresh_target_labels(action: Action) -> None:
    """An action renamed or its level changed: its chart lines follow (called by the action service)."""
    for row in action.indicators.exclude(target_line=None).select_related("target_line"):
        sync_target_line(row)
