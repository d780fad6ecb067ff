"""The shipped lägesbild template and template revisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.situation.defaults import DEFAULT_TEMPLATE_NAME, ensure_default_template
from samverkan.situation.models import Question, Template
from samverkan.situation.services import template_as_sections, template_revise


@pytest.mark.django_db
def test_default_template_has_six_areas_with_status_trend_text_places():
    template = ensure_default_template()
    assert ensure_default_template() == template  # idempotent
    assert Template.objects.filter(name=DEFAULT_TEMPLATE_NAME).count() == 1
    titles = list(template.sections.values_list("title", flat=True))
    assert titles[:2] == ["Ordningsstörningar och otrygghet", "Hot och våld"] and len(titles) == 6
    for section in template.sections.all():
        kinds = list(section.questions.values_list("kind", flat=True))
        assert kinds == [Question.Kind.STATUS, Question.Kind.TREND, Question.Kind.TEXT, Question.Kind.PLACES]


def test_revising_makes_a_new_version_and_keeps_the_old(world):
    shipped = ensure_default_template()
    user = world.users["samordnare"]
    sections = template_as_sections(shipped)
    own = template_revise(template=shipped, collaboration=world.a, sections=sections, acting_user=user)
    assert (own.collaboration, own.version, own.previous) == (world.a, 1, None)
    sections = template_as_sections(own)
    sections[0]["questions"].append({"kind": "number", "text": "Antal anmälningar?", "required": False})
    revised = template_revise(template=own, collaboration=world.a, sections=sections, acting_user=user)
    own.refresh_from_db()
    assert revised.version == 2 and revised.previous == own and not own.is_current and revised.is_current
    assert own.sections.first().questions.count() == 4
    assert revised.sections.first().questions.count() == 5
    assert shipped.sections.first().questions.count() == 4  # the shipped template is never changed
    with pytest.raises(ValidationError):
        template_revise(template=own, collaboration=world.a, sections=sections, acting_user=user)


def test_revision_validation_and_permissions(world):
    shipped = ensure_default_template()
    with pytest.raises(PermissionDenied):
        template_revise(
            template=shipped, collaboration=world.a, sections=[], acting_user=world.users["ledamot"]
        )
    with pytest.raises(ValidationError):
        template_revise(
            template=shipped, collaboration=world.a, sections=[], acting_user=world.users["samordnare"]
        )
    bad = [{"title": "X", "questions": [{"kind": "farg", "text": "?"}]}]
    with pytest.raises(ValidationError):
        template_revise(
            template=shipped, collaboration=world.a, sections=bad, acting_user=world.users["samordnare"]
        )
    other = template_revise(
        template=shipped,
        collaboration=world.b,
        sections=template_as_sections(shipped),
        acting_user=world.users["outsider"],
    )
    with pytest.raises(PermissionDenied):
        template_revise(
            template=other,
            collaboration=world.a,
            sections=template_as_sections(shipped),
            acting_user=world.users["samordnare"],
        )
