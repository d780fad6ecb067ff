"""API shapes. Field names are English; Swedish domain words stay where English would blur them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class LanOut(Schema):
    kod: str
    namn: str
    kortnamn: str
    polisregion: str = Field(..., alias="polisregion.namn")


class KommunOut(Schema):
    kod: str
    namn: str
    officiellt_namn: str
    lan: str = Field(..., alias="lan_id")
    folkmangd: int | None
    folkmangd_ar: int | None


class MembershipOut(Schema):
    collaboration: int = Field(..., alias="collaboration_id")
    role: str
    organisation: int | None = Field(None, alias="organisation_id")


class MeOut(Schema):
    id: int
    email: str
    name: str
    memberships: list[MembershipOut]


class CollaborationOut(Schema):
    id: int
    name: str
    description: str
    kommuner: list[str]
    police_areas: list[str]
    mfa_required_roles: list[str]
    role: str | None
    created_at: dt.datetime


class CollaborationPatch(Schema):
    description: str | None = Field(None, max_length=5000)
    mfa_required_roles: list[str] | None = None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    home_kommun: str | None = Field(None, alias="home_kommun_id")
    police_area: str | None = Field(None, alias="police_area.namn")
    org_number: str


class OrganisationIn(Schema):
    collaboration: int
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    home_kommun: str | None = Field(None, pattern=r"^\d{4}$")


class OrganisationPatch(Schema):
    collaboration: int
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    org_number: str | None = Field(None, max_length=11)


class NoticeOut(Schema):
    id: int
    collaboration: int = Field(..., alias="collaboration_id")
    title: str
    body: str
    level: str
    restricted_to: list[str]
    author: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_restricted_to(obj: Any) -> list[str]:
        return sorted(obj.restricted_roles) if obj.is_restricted else []

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return (obj.author.get_full_name() or obj.author.email) if obj.author else None


class NoticeIn(Schema):
    collaboration: int
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=10_000)
    level: str = "intern"
    restricted_to: list[str] = ["polis", "samordnare"]


class NoticePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=10_000)
    level: str | None = None
    restricted_to: list[str] | None = None
