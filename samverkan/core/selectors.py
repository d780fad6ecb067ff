"""Reads, scoped to the user. Views, the API, exports and jobs all fetch through these."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverkan.core import permissions
from samverkan.core.models import (
    ApiToken,
    AuditEntry,
    Collaboration,
    Kommun,
    Lan,
    Membership,
    Notice,
    Organisation,
    Participation,
)
from samverkan.core.visibility import collaborations_visible_to, membership_roles, record_reads

M = TypeVar("M", bound=Model)


# The database's integer range: a larger id is no row (and must not reach the driver as an overflow).
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """A positive database id from a URL or query value, or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def get_for_user(queryset: QuerySet[M], user: Any, pk: Any) -> M:
    """One row the user may read, else 404 — the same answer for missing and forbidden.

    Levelled rows are filtered by the one visibility rule and a begränsad read is audit-logged; rows
    without a level (tenant rows) are limited to the user's collaborations. Anything else is refused,
    so a new caller cannot forget to scope.
    """
    number = parse_id(pk)
    if number is None:
        raise Http404
    if hasattr(queryset, "visible_to"):
        scoped = queryset.visible_to(user)
    elif hasattr(queryset, "of_member"):
        scoped = queryset.of_member(user)
    else:
        raise TypeError(f"{queryset.model.__name__} has neither a level nor a collaboration to scope by")
    # One row by its primary key needs no order: first() sorted by the model's ordering, which joined the
    # tables it names (a report's round) and compiled an ORDER BY on every page that fetched one row.
    obj = next(iter(scoped.filter(pk=number).order_by()[:1]), None)
    if obj is None:
        raise Http404
    record_reads(user, [obj])
    return obj  # type: ignore[no-any-return]


def _one(queryset: QuerySet[M], pk: Any) -> M:
    """The row with id ``pk`` in an already scoped queryset, else 404."""
    number = parse_id(pk)
    obj = queryset.filter(pk=number).first() if number is not None else None
    if obj is None:
        raise Http404
    return obj


# --- Reference data (readable by every user) ---------------------------------------------------------


def lan_list() -> QuerySet[Lan]:
    return Lan.objects.select_related("polisregion").order_by("kod")


def get_lan(kod: str) -> Lan:
    lan = lan_list().filter(kod=kod).first()
    if lan is None:
        raise Http404
    return lan


def kommun_list(*, lan: str | None = None) -> QuerySet[Kommun]:
    qs = Kommun.objects.order_by("kod")
    return qs.filter(lan_id=lan) if lan else qs


def get_kommun(kod: str) -> Kommun:
    kommun = kommun_list().filter(kod=kod).first()
    if kommun is None:
        raise Http404
    return kommun


# --- Collaborations, members and aktörer -------------------------------------------------------------


def collaboration_list(*, user: Any) -> QuerySet[Collaboration]:
    return (
        collaborations_visible_to(user)
        .prefetch_related("kommuner")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def get_collaboration_for_user(user: Any, pk: Any, *, require: Any = None) -> Collaboration:
    """The collaboration if the user is a member (else 404); ``require`` is a predicate (else 403)."""
    pk = parse_id(pk)
    if pk is None or pk not in membership_roles(user):
        raise Http404
    collaboration = Collaboration.objects.filter(pk=pk, is_active=True).first()
    if collaboration is None:
        raise Http404
    if require is not None and not require(user, collaboration):
        raise PermissionDenied
    return collaboration


def organisation_list(*, user: Any, collaboration: Collaboration | None = None) -> QuerySet[Organisation]:
    """Organisations taking part in the user's collaborations (or in one of them)."""
    ids = [collaboration.pk] if collaboration is not None else list(membership_roles(user))
    return (
        Organisation.objects.filter(participations__collaboration_id__in=ids)
        .select_related("home_kommun", "police_area")
        .distinct()
        .order_by("name")
    )


def organisation_candidates(*, user: Any, collaboration: Collaboration) -> QuerySet[Organisation]:
    """Organisations a samordnare may add: those based in the collaboration's kommuner, not yet parties."""
    # Ids first: an OR over two subqueries made PostgreSQL scan every organisation in the country.
    kommun_ids = list(collaboration.kommuner.values_list("kod", flat=True))
    area_ids = list(collaboration.police_areas.values_list("id", flat=True))
    return (
        Organisation.objects.filter(Q(home_kommun_id__in=kommun_ids) | Q(police_area_id__in=area_ids))
        .exclude(participations__collaboration=collaboration)
        .order_by("name")
    )


def get_organisation_for_user(user: Any, pk: Any) -> Organisation:
    """An organisation taking part in one of the user's collaborations, else 404."""
    return _one(organisation_list(user=user), pk)


def participation_list(*, collaboration: Collaboration) -> QuerySet[Participation]:
    """The collaboration's aktörer, by name."""
    return (
        Participation.objects.filter(collaboration=collaboration)
        .select_related("organisation__home_kommun", "organisation__police_area")
        .order_by("organisation__name")
    )


def get_participation(collaboration: Collaboration, pk: Any) -> Participation:
    """One aktör of ``collaboration`` (the caller has checked the user's access to it), else 404."""
    return _one(Participation.objects.filter(collaboration=collaboration), pk)


def member_list(*, collaboration: Collaboration) -> QuerySet[Membership]:
    """Members with their active API tokens counted (a samordnare sees who can reach the API)."""
    active = Q(user__api_tokens__revoked_at__isnull=True) & (
        Q(user__api_tokens__expires_at__isnull=True) | Q(user__api_tokens__expires_at__gt=timezone.now())
    )
    return (
        Membership.objects.filter(collaboration=collaboration)
        .select_related("user", "organisation")
        .annotate(
            active_tokens=Count("user__api_tokens", filter=active),
            token_last_used=Max("user__api_tokens__last_used_at", filter=active),
        )
        .order_by("role", "user__first_name", "user__email")
    )


def get_membership(collaboration: Collaboration, pk: Any) -> Membership:
    """One membership of ``collaboration`` (the caller has checked the user's access to it), else 404."""
    return _one(Membership.objects.filter(collaboration=collaboration).select_related("user"), pk)


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    """The user's own memberships (profile, the API's /me)."""
    return Membership.objects.filter(user=user).select_related("collaboration")


# --- Notices -------------------------------------------------------------------------------------------


def notice_list(*, user: Any, collaboration: Collaboration | None = None) -> QuerySet[Notice]:
    qs = Notice.objects.visible_to(user).select_related("author", "collaboration")
    if collaboration is not None:
        qs = qs.filter(collaboration=collaboration)
    return qs


def notices_for_display(*, user: Any, collaboration: Collaboration, limit: int | None = None) -> list[Notice]:
    """Notices as shown on a page: evaluated, with begränsad reads written to the audit log."""
    qs = notice_list(user=user, collaboration=collaboration)
    notices = list(qs[:limit] if limit else qs)
    record_reads(user, notices)
    return notices


def notice_page(*, user: Any, collaboration: Collaboration, number: Any, per_page: int = 25) -> Page:
    """One page of notices, with begränsad reads written to the audit log."""
    page = Paginator(notice_list(user=user, collaboration=collaboration), per_page).get_page(number)
    record_reads(user, page.object_list)
    return page


def get_notice_for_user(user: Any, collaboration: Collaboration | None, pk: Any) -> Notice:
    """A notice the user may read (in ``collaboration``, or in any of theirs), else 404."""
    return get_for_user(notice_list(user=user, collaboration=collaboration), user, pk)


# --- The log and the user's own API tokens -----------------------------------------------------------


def audit_entries(*, user: Any, collaboration: Collaboration) -> QuerySet[AuditEntry]:
    if not permissions.can_view_audit_log(user, collaboration):
        raise PermissionDenied
    return AuditEntry.objects.filter(collaboration=collaboration).select_related("actor")


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def get_api_token(user: Any, pk: Any) -> ApiToken:
    """One of the user's own API tokens, else 404."""
    return _one(api_token_list(user=user), pk)
