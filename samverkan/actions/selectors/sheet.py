"""The follow-up sheet of a meeting: every action being carried out, most urgent first, on one page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from samverkan.actions.models import Action, ActionIndicator, FollowUp
from samverkan.actions.selectors.flags import ActionFlags, action_flags, flags_for_collaboration
from samverkan.actions.selectors.followup import followup_queryset, followups_by_action
from samverkan.actions.selectors.suggest import Suggestion, suggestions_for
from samverkan.core.models import Collaboration
from samverkan.core.permissions import can_follow_up
from samverkan.core.visibility import record_reads


@dataclass
class SheetRow:
    flags: ActionFlags
    indicators: list[ActionIndicator]
    current: FollowUp | None  # the follow-up of the sheet's day, if any
    suggestion: Suggestion | None
    can_edit: bool

    @property
    def action(self) -> Action:
        return self.flags.action


def _rows(user: Any, flags: list[ActionFlags], day: dt.date) -> list[SheetRow]:
    actions = [f.action for f in flags]
    indicators: dict[int, list[ActionIndicator]] = {}
    for indicator in ActionIndicator.objects.visible_to(user).filter(action__in=actions):
        indicators.setdefault(indicator.action_id, []).append(indicator)
    current = {f.action_id: f for f in followup_queryset(user).filter(action__in=actions, followed_up_on=day)}
    record_reads(user, [v for f in current.values() for v in f.visible_values])  # type: ignore[attr-defined]
    record_reads(user, [i for group in indicators.values() for i in group])
    suggestions = suggestions_for(user, actions)
    return [
        SheetRow(
            flags=f,
            indicators=indicators.get(f.action.pk, []),
            current=current.get(f.action.pk),
            suggestion=suggestions.get(f.action.pk),
            can_edit=can_follow_up(user, f.action),
        )
        for f in flags
    ]


def sheet_rows(user: Any, collaboration: Collaboration, day: dt.date) -> list[SheetRow]:
    """Every current action the user may read (escalated and red first), with its dots, the day's
    follow-up, the suggestion and whether the user may rate it; begränsad rows shown are logged."""
    flags = flags_for_collaboration(user, collaboration, day, only_flagged=False)
    return _rows(user, flags, day)


def sheet_row(user: Any, action: Action, day: dt.date) -> SheetRow:
    """One action's row, as the sheet re-renders it after a save (and its own page shows it)."""
    history = followups_by_action(user, [action]).get(action.pk, [])
    flags = action_flags(action, history, day)
    record_reads(user, flags.history)
    return _rows(user, [flags], day)[0]
