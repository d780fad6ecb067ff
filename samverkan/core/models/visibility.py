"""The one place that decides what a user may read.

Every view, API endpoint, export and report asks this module, through
``ConfidentialQuerySet.visible_to(user)`` (querysets) or ``can_read(user, obj)`` (one object).
Both are derived from ``readable_levels`` so the two can never disagree.

Rules:
- A collaboration is visible only to its members (and, for aggregated views, the county's readers).
  Superusers administer reference data; they read content only through a membership like anyone.
- Öppen and intern content: every member of the collaboration.
- Begränsad content: members whose role is named on the row (default polis + samordnare).
  Reads of begränsad content are written to the audit log (``record_reads``).
- County readers (Länsstyrelsen): öppen content of the collaborations in their county.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from django.db.models import Q

from .collaboration import Collaboration, CountyReader, Membership, Role, encode_roles
from .level import Level

_ROLES_ATTR = "_samverkan_roles"
_ROWS_ATTR = "_samverkan_membership_rows"
_COUNTY_ATTR = "_samverkan_county_collaborations"
_NOTHING = Q(pk__in=[])


def _role_sets_containing(role: str) -> list[str]:
    """Every encoded role set that includes ``role`` (4 roles → 8 sets), for an indexable IN filter."""
    others = [r.value for r in Role if r.value != role]
    return [encode_roles({role, *extra}) for n in range(len(others) + 1) for extra in combinations(others, n)]


ROLE_SETS_CONTAINING = {role.value: _role_sets_containing(role.value) for role in Role}


def membership_roles(user: Any) -> dict[int, str]:
    """The user's role per collaboration id, memoised on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = {cid: role for cid, role, _mfa, _org in membership_rows(user)}
        setattr(user, _ROLES_ATTR, cached)
    return cached


def membership_rows(user: Any) -> list[tuple[int, str, str, int | None]]:
    """(collaboration id, role, roles that must use TOTP, the organisation the member acts for) for the
    user's active collaborations.

    One query serves the visibility rule, the MFA middleware and the per-row permission checks (a list of
    work orders or follow-ups asks whose organisation each row is) on every request.
    """
    rows = getattr(user, _ROWS_ATTR, None)
    if rows is None:
        rows = list(
            Membership.objects.filter(user=user, collaboration__is_active=True)
            .order_by()
            .values_list("collaboration_id", "role", "collaboration__mfa_required_roles", "organisation_id")
        )
        setattr(user, _ROWS_ATTR, rows)
    return rows


def county_collaboration_ids(user: Any) -> set[int]:
    """Collaborations a county reader may see in aggregate (öppen content only)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _COUNTY_ATTR, None)
    if cached is None:
        lan_codes = CountyReader.objects.filter(user=user).values_list("lan_id", flat=True)
        cached = set(
            Collaboration.objects.filter(kommuner__lan_id__in=lan_codes, is_active=True).values_list(
                "id", flat=True
            )
        )
        setattr(user, _COUNTY_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    """Drop memoised roles after a membership change in the same request."""
    for attr in (_ROLES_ATTR, _ROWS_ATTR, _COUNTY_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def readable_levels(role: str | None, restricted_to: frozenset[str] | None = None) -> set[str]:
    """Levels a holder of ``role`` may read (``restricted_to``: the roles named on a begränsad row)."""
    if role is None:
        return set()
    levels = {Level.OPPEN.value, Level.INTERN.value}
    if restricted_to is None or role in restricted_to:
        levels.add(Level.BEGRANSAD.value)
    return levels


def visibility_q(user: Any, prefix: str = "") -> Q:
    """A filter for confidential content rows (``prefix`` for a related path, e.g. ``"notice__"``)."""
    roles = membership_roles(user)
    by_role: dict[str, list[int]] = defaultdict(list)
    for collaboration_id, role in roles.items():
        by_role[role].append(collaboration_id)
    q = _NOTHING
    for role, ids in by_role.items():
        member_of = Q(**{f"{prefix}collaboration_id__in": ids})
        open_or_internal = Q(**{f"{prefix}level__in": [Level.OPPEN, Level.INTERN]})
        restricted_to_role = Q(
            **{f"{prefix}level": Level.BEGRANSAD, f"{prefix}restricted_to__in": ROLE_SETS_CONTAINING[role]}
        )
        q |= member_of & (open_or_internal | restricted_to_role)
    county_ids = county_collaboration_ids(user) - set(roles)
    if county_ids:
        q |= Q(**{f"{prefix}collaboration_id__in": county_ids, f"{prefix}level": Level.OPPEN})
    return q


def can_read(user: Any, obj: Any) -> bool:
    """The same rule as ``visibility_q`` for one object that carries collaboration_id/level/restricted_to."""
    role = membership_roles(user).get(obj.collaboration_id)
    if role is None:
        return obj.level == Level.OPPEN and obj.collaboration_id in county_collaboration_ids(user)
    return obj.level in readable_levels(role, obj.restricted_roles)


def collaborations_visible_to(user: Any):  # type: ignore[no-untyped-def]
    """Collaborations the user may open (members) — county readers get aggregated views elsewhere."""
    return Collaboration.objects.filter(id__in=list(membership_roles(user)))
