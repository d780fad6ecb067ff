"""Writes. Every change goes through one of these: atomic, takes the acting user, audit-logged."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.core import permissions
from samverkan.core.audit import audit_change, snapshot
from samverkan.core.content import apply_level, content_delete, content_save, guard_public_text
from samverkan.core.mfa import has_totp, mfa_required_for
from samverkan.core.models import (
    TOKEN_PREFIX,
    ApiToken,
    AuditEntry,
    Collaboration,
    Kommun,
    Membership,
    Notice,
    Organisation,
    Participation,
    PoliceArea,
    Role,
    encode_roles,
    hash_token,
)
from samverkan.core.visibility import forget

User = get_user_model()
Action = AuditEntry.Action
# Two years: a token for a yearly report keeps working over one year's turn, and no longer.
MAX_TOKEN_DAYS = 730


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Collaborations --------------------------------------------------------------------------


@transaction.atomic
def collaboration_update_settings(
    *, collaboration: Collaboration, description: str, mfa_required_roles: Iterable[str], acting_user: Any
) -> Collaboration:
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    try:
        mfa_roles = encode_roles(mfa_required_roles)
    except ValueError as exc:
        raise ValidationError({"mfa_required_roles": str(exc)}) from exc
    before = snapshot(collaboration)
    collaboration.description = description
    collaboration.mfa_required_roles = mfa_roles
    guard_public_text(collaboration)
    collaboration.save(update_fields=["description", "mfa_required_roles"])
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        obj=collaboration,
        before=before,
        after=snapshot(collaboration),
    )
    return collaboration


# --- Members ---------------------------------------------------------------------------------


def _user_for_email(email: str, name: str) -> tuple[Any, bool]:
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    first, _sep, last = name.strip().partition(" ")
    user = User(username=_unique_username(email), email=email, first_name=first[:150], last_name=last[:150])
    user.set_unusable_password()
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user, True


def _unique_username(email: str) -> str:
    base = email.split("@")[0][:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def membership_invite(
    *,
    collaboration: Collaboration,
    email: str,
    name: str,
    role: str,
    organisation: Organisation | None,
    acting_user: Any,
) -> Membership:
    """Add a member; a new user gets an e-mail with a link to choose a password."""
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll.")})
    if (
        organisation is not None
        and not collaboration.participations.filter(organisation=organisation).exists()
    ):
        raise ValidationError({"organisation": _("Organisationen är inte aktör i den här samverkan.")})
    user, created = _user_for_email(email, name)
    if Membership.objects.filter(user=user, collaboration=collaboration).exists():
        raise ValidationError({"email": _("Personen är redan medlem i den här samverkan.")})
    membership = Membership.objects.create(
        user=user, collaboration=collaboration, role=role, organisation=organisation
    )
    audit_change(actor=acting_user, action=Action.CREATE, obj=membership, after=snapshot(membership))
    from samverkan.core.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation(membership.pk, new_user=created))
    return membership


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, organisation: Organisation | None, acting_user: Any
) -> Membership:
    collaboration = membership.collaboration
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    if role not in Role.values:
        raise ValidationError({"role": _("Okänd roll.")})
    if membership.role == Role.SAMORDNARE and role != Role.SAMORDNARE:
        _ensure_another_samordnare(membership)
    before = snapshot(membership)
    membership.role = role
    membership.organisation = organisation
    membership.save(update_fields=["role", "organisation"])
    audit_change(
        actor=acting_user, action=Action.UPDATE, obj=membership, before=before, after=snapshot(membership)
    )
    forget(acting_user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: Any) -> None:
    _require(permissions.can_manage_collaboration(acting_user, membership.collaboration))
    if membership.role == Role.SAMORDNARE:
        _ensure_another_samordnare(membership)
    before = snapshot(membership)
    audit_change(
        actor=acting_user,
        action=Action.DELETE,
        obj=membership,
        before=before,
        collaboration_id=membership.collaboration_id,
    )
    membership.delete()
    forget(acting_user)


def _ensure_another_samordnare(membership: Membership) -> None:
    others = Membership.objects.filter(
        collaboration_id=membership.collaboration_id, role=Role.SAMORDNARE
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError({"role": _("En samverkan måste ha minst en samordnare.")})


# --- Organisations -----------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    collaboration: Collaboration,
    name: str,
    kind: str,
    home_kommun: Kommun | None,
    police_area: PoliceArea | None = None,
    acting_user: Any,
) -> Organisation:
    """Create an organisation and make it an aktör of the collaboration."""
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Okänd typ av aktör.")})
    if Organisation.objects.filter(name__iexact=name, home_kommun=home_kommun).exists():
        raise ValidationError({"name": _("Det finns redan en organisation med det namnet i kommunen.")})
    org = Organisation(name=name, kind=kind, home_kommun=home_kommun, police_area=police_area)
    guard_public_text(org)
    org.save()
    audit_change(
        actor=acting_user,
        action=Action.CREATE,
        obj=org,
        after=snapshot(org),
        collaboration_id=collaboration.pk,
    )
    participation_add(collaboration=collaboration, organisation=org, acting_user=acting_user)
    return org


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, collaboration: Collaboration, acting_user: Any, **fields: Any
) -> Organisation:
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    if not collaboration.participations.filter(organisation=organisation).exists():
        raise PermissionDenied
    before = snapshot(organisation)
    allowed = {"name", "kind", "home_kommun", "police_area", "org_number"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValidationError({key: _("Fältet kan inte ändras.")})
        setattr(organisation, key, value)
    guard_public_text(organisation)
    organisation.full_clean()
    organisation.save()
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        obj=organisation,
        before=before,
        after=snapshot(organisation),
        collaboration_id=collaboration.pk,
    )
    return organisation


@transaction.atomic
def participation_add(
    *, collaboration: Collaboration, organisation: Organisation, acting_user: Any
) -> Participation:
    _require(permissions.can_manage_collaboration(acting_user, collaboration))
    participation, created = Participation.objects.get_or_create(
        collaboration=collaboration, organisation=organisation, defaults={"since": timezone.localdate()}
    )
    if created:
        audit_change(
            actor=acting_user, action=Action.CREATE, obj=participation, after=snapshot(participation)
        )
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, acting_user: Any) -> None:
    _require(permissions.can_manage_collaboration(acting_user, participation.collaboration))
    if participation.organisation.memberships.filter(collaboration=participation.collaboration).exists():
        raise ValidationError(_("Aktören har medlemmar i samverkan. Ändra deras organisation först."))
    audit_change(
        actor=acting_user,
        action=Action.DELETE,
        obj=participation,
        before=snapshot(participation),
        collaboration_id=participation.collaboration_id,
    )
    participation.delete()


# --- Notices -----------------------------------------------------------------------------------


def _require_level(level: str) -> None:
    # A notice always names its level: an empty one is refused, not read as "keep" or "öppen".
    if not level:
        raise ValidationError({"level": _("Okänd sekretessnivå.")})


@transaction.atomic
def notice_create(
    *,
    collaboration: Collaboration,
    title: str,
    body: str,
    level: str,
    restricted_to: Iterable[str],
    acting_user: Any,
) -> Notice:
    _require(permissions.can_write_content(acting_user, collaboration))
    _require_level(level)
    notice = Notice(collaboration=collaboration, title=title, body=body, author=acting_user)
    apply_level(
        notice, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to
    )
    content_save(notice, acting_user=acting_user)
    return notice


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    title: str,
    body: str,
    level: str,
    restricted_to: Iterable[str],
    acting_user: Any,
    version: int | None = None,
) -> Notice:
    """Change a notice; ``version`` is the one the writer edited (EditConflict if someone saved since)."""
    _require(permissions.can_edit_notice(acting_user, notice))
    _require_level(level)
    before = snapshot(notice)
    notice.title, notice.body = title, body
    apply_level(
        notice, user=acting_user, collaboration=notice.collaboration, level=level, restricted_to=restricted_to
    )
    content_save(notice, acting_user=acting_user, before=before, expected_version=version)
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, acting_user: Any) -> None:
    _require(permissions.can_edit_notice(acting_user, notice))
    content_delete(notice, acting_user=acting_user)


# --- Profile -----------------------------------------------------------------------------------------


@transaction.atomic
def profile_update(*, user: Any, first_name: str, last_name: str) -> Any:
    """A user's own name; audited like every other change."""
    before = {"first_name": user.first_name, "last_name": user.last_name}
    user.first_name, user.last_name = first_name.strip()[:150], last_name.strip()[:150]
    user.save(update_fields=["first_name", "last_name"])
    after = {"first_name": user.first_name, "last_name": user.last_name}
    audit_change(actor=user, action=Action.UPDATE, obj=user, before=before, after=after)
    return user


# --- API tokens --------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: Any, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token valid for ``days`` (default SAMVERKAN_API_TOKEN_DAYS); the raw key is returned once
    and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Ge nyckeln ett namn.")})
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("En nyckel gäller mellan 1 och %(max)d dagar.") % {"max": MAX_TOKEN_DAYS}}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        hint=raw[:10],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_change(
        actor=user,
        action=Action.CREATE,
        obj=token,
        after={"name": token.name, "hint": token.hint, "expires_at": str(token.expires_at)},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: Any) -> None:
    if token.user_id != acting_user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(
            actor=acting_user, action=Action.UPDATE, obj=token, after={"revoked_at": str(token.revoked_at)}
        )


class TokenRefused(Exception):
    """A real token that may not be used now; the message tells its holder why (shown with the 401)."""


def api_token_authenticate(raw: str) -> Any | None:
    """The active user behind a raw token, or None for an unknown one.

    A token obeys the rules of a session: it is refused (``TokenRefused``) once expired, and while its
    user has a role that must use two-step verification but has not activated it — it starts working
    the moment they do.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.is_expired:
        raise TokenRefused(_("API-nyckeln har gått ut. Skapa en ny på din profilsida."))
    if mfa_required_for(token.user) and not has_totp(token.user):
        raise TokenRefused(
            _(
                "Din roll kräver tvåstegsverifiering. Aktivera den när du loggar in i webbläsaren; "
                "sedan fungerar nyckeln."
            )
        )
    now = timezone.now()
    # Touch last_used at most once a minute so reads stay reads under load.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
