"""Named permission predicates. Roles are data (Membership.role); what a role may do is decided here."""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects

from samverkan.core.models import Collaboration, Level, Notice, Role
from samverkan.core.visibility import membership_roles, membership_rows

WRITING_ROLES = frozenset({Role.SAMORDNARE, Role.POLIS, Role.LEDAMOT})


def role_in(user: Any, collaboration: Collaboration) -> str | None:
    return membership_roles(user).get(collaboration.pk)


def can_manage_collaboration(user: Any, collaboration: Collaboration) -> bool:
    """Invite members, change roles, add organisations, change settings."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_view_audit_log(user: Any, collaboration: Collaboration) -> bool:
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_write_content(user: Any, collaboration: Collaboration) -> bool:
    """Report and post: every role except läsare."""
    return role_in(user, collaboration) in WRITING_ROLES


def can_set_level(user: Any, collaboration: Collaboration, level: str, restricted_to: frozenset[str]) -> bool:
    """A writer may choose any level, but a begränsad row must stay readable by the writer's own role."""
    role = role_in(user, collaboration)
    if role not in WRITING_ROLES:
        return False
    return level != Level.BEGRANSAD or role in restricted_to


def can_edit_notice(user: Any, notice: Notice) -> bool:
    role = membership_roles(user).get(notice.collaboration_id)
    if role == Role.SAMORDNARE:
        return True
    return role in WRITING_ROLES and notice.author_id == user.pk


def can_edit_agreements(user: Any, collaboration: Collaboration) -> bool:
    """Agreements, focus areas, groups and citizen promises are kept by the samordnare."""
    return role_in(user, collaboration) == Role.SAMORDNARE


# --- Lägesbild ---------------------------------------------------------------------------------------


def can_report_situation(user: Any, collaboration: Collaboration) -> bool:
    """Report in a round (for the organisation the membership names) and report events: every writer."""
    return can_write_content(user, collaboration)


def can_manage_rounds(user: Any, collaboration: Collaboration) -> bool:
    """Open, close and schedule rounds, and see who has not yet reported: the samordnare."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_edit_joint_picture(user: Any, collaboration: Collaboration) -> bool:
    """Write the area summaries and agree (freeze) the joint picture: the samordnare."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_edit_event(user: Any, event: Any) -> bool:
    """The reporter edits their own event; the samordnare any event they can read."""
    role = role_in(user, event.collaboration)
    if role == Role.SAMORDNARE:
        return True
    return role in WRITING_ROLES and event.reported_by_id == user.pk


def can_import_statistics(user: Any) -> bool:
    """Import national open data (police events, Brå, NTU, SCB, DeSO, crime statistics): superusers and
    staff given the "add import" permission in the admin (the data steward)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or (user.is_staff and user.has_perm("indicators.add_importrun")))
    )


def can_import_series(user: Any, collaboration: Collaboration) -> bool:
    """Import the collaboration's own municipal series (for its kommuner only): its samordnare."""
    return can_import_statistics(user) or role_in(user, collaboration) == Role.SAMORDNARE


def can_see_exact_locations(user: Any, collaboration: Collaboration) -> bool:
    """See event points and small counts unsuppressed (the begränsad view of maps): polis and samordnare."""
    return role_in(user, collaboration) in {Role.SAMORDNARE, Role.POLIS}


# --- Analysis, action plan and follow-up (steps 3–6) -------------------------------------------------


def member_organisation_id(user: Any, collaboration_id: int) -> int | None:
    """The organisation the user's membership of the collaboration names (whom they act for), if any.

    Read from the request's memoised membership rows, so a list asking it per row costs no query."""
    if not getattr(user, "is_authenticated", False):
        return None
    return next((org for cid, _role, _mfa, org in membership_rows(user) if cid == collaboration_id), None)


def can_edit_analysis(user: Any, collaboration: Collaboration) -> bool:
    """Raise, score and analyse problems: the samordnare (who keeps what the group agrees)."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_edit_action_plan(user: Any, collaboration: Collaboration) -> bool:
    """Write the action plan, its actions and indicators, decide it, and give work orders: the samordnare."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_follow_up(user: Any, action: Any) -> bool:
    """Follow up an action: the samordnare any; a polis or ledamot the actions of their own organisation."""
    role = membership_roles(user).get(action.collaboration_id)
    if role == Role.SAMORDNARE:
        return True
    if role not in WRITING_ROLES:
        return False
    organisation_id = member_organisation_id(user, action.collaboration_id)
    return organisation_id is not None and organisation_id == action.responsible_id


def can_complete_work_order(user: Any, work_order: Any) -> bool:
    """Mark a work order done: the samordnare, or a writer acting for the organisation it is given to."""
    role = membership_roles(user).get(work_order.collaboration_id)
    if role == Role.SAMORDNARE:
        return True
    if role not in WRITING_ROLES:
        return False
    return member_organisation_id(user, work_order.collaboration_id) == work_order.organisation_id


def can_manage_meetings(user: Any, collaboration: Collaboration) -> bool:
    """Plan, move and cancel meetings, invite, draft the agenda and send minutes for justering: the samordnare."""
    return role_in(user, collaboration) == Role.SAMORDNARE


def can_write_minutes(user: Any, meeting: Any) -> bool:
    """Edit a meeting's agenda and minutes while they are a draft: the samordnare, or the meeting's secretary
    while a writing member of the collaboration."""
    role = membership_roles(user).get(meeting.collaboration_id)
    if role == Role.SAMORDNARE:
        return True
    return role in WRITING_ROLES and meeting.secretary_id is not None and meeting.secretary_id == user.pk


def is_named_justerare(user: Any, meeting: Any) -> bool:
    """Approve or decline the minutes: only a justerare named on the meeting who is still a member.

    The meeting's justerare are read once per meeting object (a page asks several times) and kept in
    Django's prefetch cache, which ``justerare.set/add/remove/clear`` on the same object empty again."""
    if not getattr(user, "is_authenticated", False) or meeting.collaboration_id not in membership_roles(user):
        return False
    if "justerare" not in getattr(meeting, "_prefetched_objects_cache", {}):
        prefetch_related_objects([meeting], "justerare")
    return any(justerare.pk == user.pk for justerare in meeting.justerare.all())


def can_approve_public_minutes(user: Any, meeting: Any) -> bool:
    """Approve the public version of justerade minutes: a samordnare, or the meeting's chair while a writing
    member, who is not the meeting's secretary (the second pair of eyes before anything goes out)."""
    if not getattr(user, "is_authenticated", False) or meeting.secretary_id == user.pk:
        return False
    role = membership_roles(user).get(meeting.collaboration_id)
    if role == Role.SAMORDNARE:
        return True
    return role in WRITING_ROLES and meeting.chair_id == user.pk
