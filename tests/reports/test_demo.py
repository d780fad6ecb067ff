"""`samverkan demo`: Malå's 2021 evaluation is generated from the demo data, approved at a 2022 meeting
and its public version released by a second samordnare; the public version holds no intern text."""

from __future__ import annotations

import pytest

from samverkan.core.demo import load_demo
from samverkan.reports.demo import ASSESSMENT, MALA, SUMMARY
from samverkan.reports.models import Evaluation
from samverkan.reports.selectors import evaluation_document, public_evaluations


@pytest.mark.slow
@pytest.mark.django_db
def test_mala_has_an_approved_2021_evaluation_with_a_public_version(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("SAMVERKAN_DEMO_PASSWORD", "demo-losenord-123")
    load_demo()
    evaluation = Evaluation.objects.get(collaboration__name=MALA, year=2021)
    [version] = evaluation.versions.all()
    assert version.locked and version.approved_meeting is not None and version.approved_decision
    assert version.public_released_by != version.approved_by
    tables = version.facts["tables"]
    assert tables["agreement"] and tables["focus_areas"] and tables["actions"]
    assert [e.pk for e in public_evaluations([evaluation.collaboration_id])] == [evaluation.pk]
    public = evaluation_document(version, public=True)
    texts = {s.key: s.text for s in public.sections}
    assert texts["summary"] == SUMMARY and texts["assessment"] == ""
    assert ASSESSMENT not in str(public.tables)
    load_demo()
    assert Evaluation.objects.filter(collaboration__name=MALA).count() == 1
