"""Lägesbild templates: revising makes a new version; reports keep the version they answered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.core.audit import audit_change, snapshot
from samverkan.core.models import AuditEntry, Collaboration
from samverkan.core.permissions import can_manage_collaboration
from samverkan.situation.models import Question, Section, Template


@transaction.atomic
def template_revise(
    *,
    template: Template,
    collaboration: Collaboration,
    sections: list[dict[str, Any]],
    name: str | None = None,
    description: str | None = None,
    acting_user: Any,
) -> Template:
    """Save a revision as a new version; reports made with the old version keep it unchanged.

    ``sections``: ``[{"title", "description", "focus_area", "questions": [{"kind", "text", "help_text",
    "required"}]}]`` in order. A shipped template (no collaboration) is revised into the collaboration's own.
    """
    if not can_manage_collaboration(acting_user, collaboration):
        raise PermissionDenied
    if template.collaboration_id not in (None, collaboration.pk):
        raise PermissionDenied
    if not template.is_current:
        raise ValidationError(_("Bara den senaste versionen av en mall kan revideras."))
    if not sections or not any(s.get("questions") for s in sections):
        raise ValidationError({"sections": _("En mall behöver minst ett område med en fråga.")})
    for index, spec in enumerate(sections, start=1):
        for question in spec.get("questions", []):
            if question.get("kind") not in Question.Kind.values:
                raise ValidationError({"sections": _("Område %(n)s har en okänd frågetyp.") % {"n": index}})
            if not (question.get("text") or "").strip():
                raise ValidationError({"sections": _("Område %(n)s har en fråga utan text.") % {"n": index}})
    own = template.collaboration_id == collaboration.pk
    if own:
        Template.objects.filter(pk=template.pk).update(is_current=False)
    revision = Template.objects.create(
        collaboration=collaboration,
        name=name or template.name,
        description=template.description if description is None else description,
        version=template.version + 1 if own else 1,
        previous=template if own else None,
    )
    for order, spec in enumerate(sections, start=1):
        row = Section.objects.create(
            template=revision,
            order=order,
            title=spec["title"],
            area_code=spec.get("area_code", ""),
            description=spec.get("description", ""),
            focus_area=spec.get("focus_area"),
        )
        for q_order, question in enumerate(spec.get("questions", []), start=1):
            Question.objects.create(
                section=row,
                order=q_order,
                kind=question["kind"],
                text=question["text"].strip(),
                help_text=question.get("help_text", ""),
                required=bool(question.get("required")),
            )
    audit_change(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        obj=revision,
        after=snapshot(revision),
        collaboration_id=collaboration.pk,
    )
    return revision


def template_as_sections(template: Template) -> list[dict[str, Any]]:
    """A template's content in the shape ``template_revise`` takes (the starting point of a revision)."""
    return [
        {
            "title": section.title,
            "area_code": section.area_code,
            "description": section.description,
            "focus_area": section.focus_area,
            "questions": [
                {"kind": q.kind, "text": q.text, "help_text": q.help_text, "required": q.required}
                for q in section.questions.all()
            ],
        }
        for section in template.sections.prefetch_related("questions")
    ]
