"""Follow-up (uppföljning) of an action: one row per action and day, rated röd/gul/grön.

``followup_record`` is the one way a follow-up is written: the follow-up sheet, the action's own page,
the API and (later) a meeting's minutes all call it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.actions.models import Action, ActionIndicator, FollowUp, IndicatorValue, Rating
from samverkan.core.audit import snapshot
from samverkan.core.content import check_level, content_save
from samverkan.core.levels import LEVEL_RANK
from samverkan.core.models import Level
from samverkan.core.permissions import can_follow_up
from samverkan.core.personaldata import IDENTITY_KINDS, find_personal_data
from samverkan.core.visibility import can_read

# A measured value fits the model's DecimalField(max_digits=20, decimal_places=4).
MAX_VALUE = Decimal("1e16")


@transaction.atomic
def followup_record(
    *,
    action: Action,
    followed_up_on: dt.date,
    rating: str,
    done: str = "",
    outcome: str = "",
    reason: str = "",
    hours_spent: Decimal | None = None,
    cost_spent: Decimal | None = None,
    values: dict[int, Decimal | None] | None = None,
    occasion: str = "",
    level: str | None = None,
    restricted_to: list[str] | None = None,
    version: int | None = None,
    acknowledge_personal_data: bool | None = None,
    acting_user: Any,
) -> FollowUp:
    """Record the follow-up of ``action`` on ``followed_up_on`` (created, or updated if that day has one).

    - Who: the samordnare any action; a polis or ledamot their own organisation's (``can_follow_up``).
    - ``rating``: ``Rating`` (röd, gul, grön). ``reason`` is required when it differs from the rating of
      the action's previous follow-up (the latest one before this day).
    - ``values``: ``{ActionIndicator id: value}`` for the action's own hand-entered indicators; ``None``
      as a value removes the value recorded that day. Statistics indicators take their values from the
      imports and are refused here.
    - ``level``/``restricted_to``: default the action's; never looser than the action's level.
    - ``version``: the version the writer saw, ``0`` for "there was no follow-up this day". When someone
      saved (or created) that day's follow-up since, ``EditConflict`` is raised and nothing is written.
      ``None`` (an older client) saves without the check.
    - ``acknowledge_personal_data``: for a writer without the form's tick box (the API): ``False``
      refuses a phone number or e-mail new to an intern or begränsad follow-up's texts until the writer
      confirms (``True``) that they are needed. ``None``: the form asked already. An öppen follow-up
      refuses them, and a personnummer at every level, whatever is confirmed (the writing kit's guard).

    Raises ``PermissionDenied``, ``ValidationError`` (Swedish messages keyed by field) or ``EditConflict``;
    nothing is written unless everything passes.
    """
    # Lock the action: two people rating it at once are serialised, and the second sees the first's row.
    action = Action.objects.select_for_update().select_related("collaboration").get(pk=action.pk)
    if not can_follow_up(acting_user, action):
        raise PermissionDenied
    collaboration = action.collaboration
    errors: dict[str, list[str]] = {}
    if rating not in Rating.values:
        errors.setdefault("rating", []).append(_("Välj röd, gul eller grön."))
    if not isinstance(followed_up_on, dt.date):
        errors.setdefault("followed_up_on", []).append(_("Ange datum för uppföljningen."))
    elif followed_up_on > timezone.localdate():
        errors.setdefault("followed_up_on", []).append(_("En uppföljning kan inte dateras i framtiden."))
    for name, amount in (("hours_spent", hours_spent), ("cost_spent", cost_spent)):
        if amount is not None and amount < 0:
            errors.setdefault(name, []).append(_("Ange ett värde som är noll eller större."))
    if errors:
        raise ValidationError(errors)

    previous = (
        FollowUp.objects.filter(action=action, followed_up_on__lt=followed_up_on)
        .order_by("-followed_up_on", "-id")
        .first()
    )
    if previous is not None and previous.rating != rating and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Bedömningen ändras från %(before)s till %(after)s: skriv varför (skäl till ändrad bedömning)."
                )
                % {"before": Rating(previous.rating).label.lower(), "after": Rating(rating).label.lower()}
            }
        )

    level, encoded = _level(action, level, restricted_to, acting_user)
    existing = (
        FollowUp.objects.select_for_update().filter(action=action, followed_up_on=followed_up_on).first()
    )
    if existing is not None and not can_read(acting_user, existing):
        # Someone else's stricter follow-up of the day must not be overwritten unseen.
        raise ValidationError(
            {
                "followed_up_on": _(
                    "Det finns redan en uppföljning den dagen som du inte får läsa eller ändra."
                )
            }
        )
    if acknowledge_personal_data is False and level != Level.OPPEN:
        _refuse_unconfirmed_personal_data(
            {"occasion": occasion, "done": done, "outcome": outcome, "reason": reason}, existing
        )
    before = snapshot(existing) if existing is not None else None
    row = existing or FollowUp(collaboration=collaboration, action=action, followed_up_on=followed_up_on)
    row.rating, row.done, row.outcome, row.reason, row.occasion = rating, done, outcome, reason, occasion
    row.hours_spent, row.cost_spent = hours_spent, cost_spent
    row.level, row.restricted_to = level, encoded
    row.recorded_by = acting_user
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    if values:
        _save_values(row, action, values, acting_user)
    return row


def _refuse_unconfirmed_personal_data(texts: dict[str, str], saved: FollowUp | None) -> None:
    """A phone number or e-mail in a text that the saved follow-up did not hold already (what was saved
    was confirmed then): a 422 naming the field until the writer confirms it is needed. Identity numbers
    are left to the writing kit's guard, which refuses them whatever is confirmed."""
    errors: dict[str, str] = {}
    for name, text in texts.items():
        confirmed = {f.matched for f in find_personal_data(getattr(saved, name, "") or "")}
        new = [
            f
            for f in find_personal_data(text or "")
            if f.kind not in IDENTITY_KINDS and f.matched not in confirmed
        ]
        if new:
            errors[name] = _(
                "Texten innehåller något som ser ut som %(found)s. Ta bort det om det inte behövs, eller "
                "bekräfta att uppgifterna behövs (acknowledge_personal_data)."
            ) % {"found": ", ".join(dict.fromkeys(f.label for f in new))}
    if errors:
        raise ValidationError(errors)


def _level(action: Action, level: str | None, restricted_to: list[str] | None, user: Any) -> tuple[str, str]:
    """The follow-up's level: the action's unless stricter is asked; never looser (its text tells of the
    action, which readers of a looser level may not see)."""
    level = level or action.level
    if level not in LEVEL_RANK:
        raise ValidationError({"level": _("Okänd sekretessnivå.")})
    if LEVEL_RANK[level] < LEVEL_RANK[action.level]:
        raise ValidationError(
            {
                "level": _("Uppföljningen kan inte ha lägre sekretessnivå än åtgärden (%(level)s).")
                % {"level": Level(action.level).label.lower()}
            }
        )
    if restricted_to is None:
        restricted_to = sorted(action.restricted_roles) if level == Level.BEGRANSAD else []
    encoded = check_level(user, action.collaboration, level, restricted_to)
    return level, encoded


def _save_values(row: FollowUp, action: Action, values: dict[int, Decimal | None], user: Any) -> None:
    indicators = {i.pk: i for i in ActionIndicator.objects.filter(action=action)}
    existing = {v.indicator_id: v for v in row.values.all()}
    for key, raw in values.items():
        number = _as_id(key)
        indicator = indicators.get(number) if number is not None else None
        if indicator is None:
            raise ValidationError({"values": _("Indikatorn hör inte till åtgärden.")})
        if indicator.source == ActionIndicator.Source.STATISTIK:
            raise ValidationError(
                {"values": _("”%(name)s” hämtar sina värden från statistiken.") % {"name": indicator.name}}
            )
        current = existing.get(indicator.pk)
        if raw is None or raw == "":
            if current is not None:
                current.delete()
            continue
        value = _as_value(raw, indicator)
        before = snapshot(current) if current is not None else None
        item = current or IndicatorValue(collaboration=row.collaboration, followup=row, indicator=indicator)
        item.value, item.measured_on = value, row.followed_up_on
        item.level, item.restricted_to = row.level, row.restricted_to
        content_save(item, acting_user=user, before=before)


def _as_id(key: Any) -> int | None:
    try:
        return int(key)
    except (TypeError, ValueError):
        return None


def _as_value(raw: Any, indicator: ActionIndicator) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= MAX_VALUE:
        raise ValidationError({"values": _("”%(name)s”: ange ett tal.") % {"name": indicator.name}})
    return value.quantize(Decimal("0.0001"))
