"""`samverkan demo`: Älvdalen has two problems raised from its agreed joint picture, each scored, with a
triangle, a hypothesis and a cause tree; a second load adds nothing."""

from __future__ import annotations

import pytest

from samverkan.analysis.demo import ALVDALEN
from samverkan.analysis.models import Cause, CauseAnalysis, Evidence, Problem
from samverkan.core.demo import load_demo
from samverkan.core.personaldata import find_personal_data


@pytest.mark.slow
@pytest.mark.django_db
def test_alvdalen_raises_and_analyses_two_problems(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    problems = list(Problem.objects.filter(collaboration__name=ALVDALEN).order_by("id"))
    assert len(problems) == 2
    for problem in problems:
        assert problem.origin in (Problem.Origin.SAMMANFATTNING, Problem.Origin.CELL)
        assert problem.picture_version is not None and problem.is_scored
        link = Evidence.objects.get(problem=problem)
        assert link.picture_item.version == problem.picture_version
        analysis = CauseAnalysis.objects.get(problem=problem)
        assert analysis.hypothesis and analysis.level == problem.level
        causes = Cause.objects.filter(problem=problem)
        assert causes.filter(parent=None).count() == 3
        for text in [
            problem.title,
            problem.description,
            analysis.hypothesis,
            *causes.values_list("text", flat=True),
        ]:
            assert not find_personal_data(text)
    counts = (Problem.objects.count(), Cause.objects.count(), Evidence.objects.count())
    load_demo()
    assert (Problem.objects.count(), Cause.objects.count(), Evidence.objects.count()) == counts
