"""Writes for problems, their evidence and scores, the triangle and the cause tree.

Every function: keyword-only, atomic, takes ``acting_user``, checks ``can_edit_analysis``, validates
(ValidationError naming the field), refuses what points into another collaboration, and saves through
the writing kit (guard, version check, audit).
"""

from samverkan.analysis.services.causes import TRIANGLE_FIELDS, analysis_save, cause_delete, cause_save
from samverkan.analysis.services.problems import (
    SCORE_FIELDS,
    evidence_add,
    evidence_delete,
    problem_delete,
    problem_raise_from_item,
    problem_raise_from_signal,
    problem_save,
    problem_score,
    problem_update,
    signal_key,
)

__all__ = [
    "SCORE_FIELDS",
    "TRIANGLE_FIELDS",
    "analysis_save",
    "cause_delete",
    "cause_save",
    "evidence_add",
    "evidence_delete",
    "problem_delete",
    "problem_raise_from_item",
    "problem_raise_from_signal",
    "problem_save",
    "problem_score",
    "problem_update",
    "signal_key",
]
