"""The foundation's scenarios for ``samverkan bench``: start, profile, home, members, notices, log, API."""

from __future__ import annotations

from django.http import HttpResponseBase

from samverkan.core.bench import FLOOR, BenchContext, scenario


@scenario(FLOOR)
def floor(ctx: BenchContext) -> HttpResponseBase:
    """Start page (/) for a member of one collaboration: the cheapest authenticated page."""
    return ctx.get("/")


@scenario("profile")
def profile(ctx: BenchContext) -> HttpResponseBase:
    """Profile page: roles, API tokens, two-step status."""
    return ctx.get("/profil/")


@scenario("collaboration_home")
def collaboration_home(ctx: BenchContext) -> HttpResponseBase:
    """Collaboration home: the panels (agreement, open rounds, pictures to agree, notices) and counts."""
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/")


@scenario("members")
def members(ctx: BenchContext) -> HttpResponseBase:
    """Member list (samordnare sees edit links)."""
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/medlemmar/")


@scenario("organisations")
def organisations(ctx: BenchContext) -> HttpResponseBase:
    """Aktörer list with the samordnare's 'add existing organisation' form."""
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/aktorer/")


@scenario("notices")
def notices(ctx: BenchContext) -> HttpResponseBase:
    """Notice list, first page (begränsad reads are audit-logged)."""
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/meddelanden/")


@scenario("notice_detail")
def notice_detail(ctx: BenchContext) -> HttpResponseBase:
    """One intern notice."""
    if ctx.notice is None:
        raise ValueError("The collaboration has no intern notice.")
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/meddelanden/{ctx.notice.pk}/")


@scenario("audit_log")
def audit_log(ctx: BenchContext) -> HttpResponseBase:
    """Audit log, first page, as samordnare."""
    return ctx.get(f"/samverkan/{ctx.collaboration.pk}/logg/")


@scenario("api_collaborations")
def api_collaborations(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/collaborations."""
    return ctx.api_get("/api/v1/collaborations")


@scenario("api_organisations")
def api_organisations(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/organisations?collaboration=<id>."""
    return ctx.api_get(f"/api/v1/organisations?collaboration={ctx.collaboration.pk}")


@scenario("api_notices")
def api_notices(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/notices?collaboration=<id> (begränsad reads are audit-logged)."""
    return ctx.api_get(f"/api/v1/notices?collaboration={ctx.collaboration.pk}")


@scenario("api_kommuner")
def api_kommuner(ctx: BenchContext) -> HttpResponseBase:
    """GET /api/v1/kommuner?limit=290: all reference kommuner in one page."""
    return ctx.api_get("/api/v1/kommuner?limit=290")
