"""The cause analysis of a problem: the triangle with its hypothesis, and the cause tree (why → why)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.analysis.models import Cause, CauseAnalysis, Problem
from samverkan.analysis.models.causes import MAX_CAUSE_DEPTH
from samverkan.analysis.services._common import check_ref, require_analyst
from samverkan.core.audit import snapshot
from samverkan.core.conflicts import check_version
from samverkan.core.content import apply_level, content_delete, content_save, next_order

TRIANGLE_FIELDS = ("offender", "handler", "target", "guardian", "place", "manager", "hypothesis")


@transaction.atomic
def analysis_save(
    *,
    problem: Problem,
    acting_user: Any,
    version: int | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    **texts: str,
) -> CauseAnalysis:
    """Write the triangle and the hypothesis (created with the problem's level the first time)."""
    collaboration = problem.collaboration
    require_analyst(acting_user, collaboration)
    unknown = set(texts) - set(TRIANGLE_FIELDS)
    if unknown:
        raise ValidationError(_("Okänt fält: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    row = CauseAnalysis.objects.select_for_update().filter(problem=problem).first()
    before = snapshot(row) if row else None
    if row is None:
        row = CauseAnalysis(
            collaboration=collaboration,
            problem=problem,
            level=problem.level,
            restricted_to=problem.restricted_to,
        )
    for name, value in texts.items():
        setattr(row, name, value)
    if row.pk is None and level is None:
        # A new triangle is read as its problem is.
        level, restricted_to = problem.level, sorted(problem.restricted_roles)
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    return row


def _depth(cause: Cause | None) -> int:
    """1 for a direct cause, 2 for its cause, …; bounded, since a cycle in stored data must not loop."""
    depth = 0
    seen: set[int] = set()
    while cause is not None and cause.pk not in seen and depth <= MAX_CAUSE_DEPTH + 1:
        seen.add(cause.pk)
        depth += 1
        cause = cause.parent
    return depth


def _subtree(cause: Cause) -> tuple[set[int], int]:
    """The ids under ``cause`` (itself included) and how many levels they span below it (0: a leaf)."""
    ids = {cause.pk}
    frontier = [cause.pk]
    height = 0
    while frontier:
        frontier = [
            pk
            for pk in Cause.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            if pk not in ids
        ]
        if frontier:
            ids.update(frontier)
            height += 1
    return ids, height


@transaction.atomic
def cause_save(
    *,
    problem: Problem,
    acting_user: Any,
    text: str,
    bone: str = Cause.Bone.ANNAT,
    evidence_note: str = "",
    parent: Cause | None = None,
    cause: Cause | None = None,
    level: str | None = None,
    restricted_to: Iterable[str] | None = None,
    version: int | None = None,
) -> Cause:
    """Add a cause (under ``parent``: an indirect cause of it), or change ``cause``, moving it too.

    A parent of another problem, a move under the cause itself or one of its own causes (a cycle) and a
    tree deeper than ``MAX_CAUSE_DEPTH`` are refused. A cause below another hangs on its bone.
    """
    collaboration = problem.collaboration
    require_analyst(acting_user, collaboration)
    if cause is not None and cause.problem_id != problem.pk:
        raise ValidationError(_("Orsaken hör till ett annat problem."))
    if parent is not None:
        check_ref(acting_user, collaboration, "parent", parent)
        if parent.problem_id != problem.pk:
            raise ValidationError(
                {"parent": _("Orsaken du vill lägga den under hör till ett annat problem.")}
            )
    if bone not in Cause.Bone.values:
        raise ValidationError({"bone": _("Okänd del av triangeln.")})
    height = 0
    subtree: set[int] = set()
    if cause is not None:
        subtree, height = _subtree(cause)
        if parent is not None and parent.pk in subtree:
            raise ValidationError(
                {"parent": _("En orsak kan inte ligga under sig själv eller under en av sina egna orsaker.")}
            )
    if _depth(parent) + 1 + height > MAX_CAUSE_DEPTH:
        raise ValidationError(
            {"parent": _("Orsaksträdet får vara högst %(max)s nivåer djupt.") % {"max": MAX_CAUSE_DEPTH}}
        )
    if parent is not None:
        bone = parent.bone
    before = snapshot(cause) if cause else None
    row = cause or Cause(
        collaboration=collaboration,
        problem=problem,
        order=next_order(problem.causes.filter(parent=parent)),
    )
    moved = cause is not None and cause.parent_id != (parent.pk if parent else None)
    row.text, row.bone, row.evidence_note, row.parent = text, bone, evidence_note, parent
    if moved:
        row.order = next_order(problem.causes.filter(parent=parent))
    if row.pk is None and level is None:
        # A new cause is read as its problem is.
        level, restricted_to = problem.level, sorted(problem.restricted_roles)
    apply_level(row, user=acting_user, collaboration=collaboration, level=level, restricted_to=restricted_to)
    content_save(row, acting_user=acting_user, before=before, expected_version=version)
    # The causes below follow it onto its bone, each saved through the writing kit: audited, and its
    # version moved on so a page showing the old bone cannot silently put it back.
    below = Cause.objects.filter(pk__in=subtree - {row.pk}).exclude(bone=row.bone).order_by("pk")
    for child in below.select_for_update() if subtree else ():
        child_before = snapshot(child)
        child.bone = row.bone
        content_save(child, acting_user=acting_user, before=child_before)
    return row


@transaction.atomic
def cause_delete(*, cause: Cause, acting_user: Any, version: int | None = None) -> None:
    """Remove a cause and the causes below it (each audited); from ``version``, only if nobody has
    changed it since (EditConflict)."""
    require_analyst(acting_user, cause.problem.collaboration)
    check_version(cause, version, {"text": ""})
    ids, _height = _subtree(cause)
    for row in Cause.objects.filter(pk__in=ids - {cause.pk}).order_by("-id"):
        content_delete(row, acting_user=acting_user)
    content_delete(cause, acting_user=acting_user)
