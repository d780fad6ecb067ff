"""API shapes for problems and causes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ninja import Field

from samverkan.analysis.models import Cause, Problem
from samverkan.analysis.models.problems import SCORE_MAX
from samverkan.core.apikit import (
    DEFAULT_ROLES,
    Code,
    ConfidentialOut,
    Day,
    Id,
    InSchema,
    Roles,
    named_choices,
    version_in,
    version_out,
)
from samverkan.core.models import Level

if TYPE_CHECKING:
    ProblemStatus = Problem.Status
    CauseBone = Cause.Bone
else:
    ProblemStatus = named_choices("ProblemStatus", Problem.Status)
    CauseBone = named_choices("CauseBone", Cause.Bone)

Score = Field(None, ge=0, le=SCORE_MAX)


class ProblemOut(ConfidentialOut):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    title: str
    description: str
    where: str
    when: str
    affected: str
    area_code: str
    focus_area: int | None = Field(None, description="Fokusområdet, om du får läsa det.")
    status: str
    origin: str
    picture_version: int | None = Field(None, alias="picture_version_id")
    score_frequency: int | None
    score_trend: int | None
    score_signal: int | None
    score_affected: int | None
    score_consequences: int | None
    score_resources: int | None
    score_influence: int | None
    score_cost: int | None
    severity: int
    feasibility: int
    priority: int
    scored_on: dt.date | None
    scored_by: str
    version: int = version_out()

    @staticmethod
    def resolve_focus_area(obj: Any) -> int | None:
        return obj.focus_area_id if getattr(obj, "focus_area_visible", False) else None


class _ProblemFields(InSchema):
    description: str | None = Field(None, max_length=5_000)
    where: str | None = Field(None, max_length=300)
    when: str | None = Field(None, max_length=300)
    affected: str | None = Field(None, max_length=300)
    area_code: Code | None = None
    focus_area: Id | None = None
    status: ProblemStatus | None = None
    score_frequency: int | None = Score
    score_trend: int | None = Score
    score_signal: int | None = Score
    score_affected: int | None = Score
    score_consequences: int | None = Score
    score_resources: int | None = Score
    score_influence: int | None = Score
    score_cost: int | None = Score
    scored_by: str | None = Field(None, max_length=200)
    scored_on: Day | None = None


class ProblemIn(_ProblemFields):
    title: str = Field(..., min_length=1, max_length=200)
    level: Level = Level.INTERN
    restricted_to: Roles = DEFAULT_ROLES


class ProblemPatch(_ProblemFields):
    title: str | None = Field(None, min_length=1, max_length=200)
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()


class CauseOut(ConfidentialOut):
    id: int
    problem: int = Field(..., alias="problem_id")
    parent: int | None = Field(None, description="Orsaken den är en orsak till, om du får läsa den.")
    bone: str
    text: str
    evidence_note: str
    order: int
    version: int = version_out()

    @staticmethod
    def resolve_parent(obj: Any) -> int | None:
        return obj.parent_id if getattr(obj, "parent_visible", False) else None


class CauseIn(InSchema):
    text: str = Field(..., min_length=1, max_length=500)
    bone: CauseBone = CauseBone.ANNAT
    parent: Id | None = None
    evidence_note: str = Field("", max_length=2_000)
    level: Level | None = None
    restricted_to: Roles | None = None


class CausePatch(InSchema):
    text: str | None = Field(None, min_length=1, max_length=500)
    bone: CauseBone | None = None
    parent: Id | None = None
    evidence_note: str | None = Field(None, max_length=2_000)
    level: Level | None = None
    restricted_to: Roles | None = None
    version: int | None = version_in()
