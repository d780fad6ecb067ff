"""Portal scenarios for ``samverkan bench`` (issue 12): the public pages as an anonymous visitor.

The cached scenarios are what a visitor gets once the page is in the cache (every run after the warm-up);
``portal.index_uncached`` renders the same list on every run (a query string bypasses the cache), which is
what every request cost before the cache. Each run uses a new anonymous client (no cookies kept).
"""

from __future__ import annotations

from django.http import HttpResponseBase
from django.test import Client

from samverkan.core.bench import BenchContext, scenario


def _anonymous(path: str) -> HttpResponseBase:
    return Client().get(path)


@scenario("portal.index")
def portal_index(ctx: BenchContext) -> HttpResponseBase:
    """Public list of every collaboration, anonymous (page cache; target throughput ≥ 0.5× floor)."""
    return _anonymous("/offentlig/")


@scenario("portal.index_uncached")
def portal_index_uncached(ctx: BenchContext) -> HttpResponseBase:
    """The same list rendered on every request (a query string bypasses the cache): the cost before."""
    return _anonymous("/offentlig/?uncached=1")


@scenario("portal.collaboration")
def portal_collaboration(ctx: BenchContext) -> HttpResponseBase:
    """Public page of the persona's collaboration, anonymous (page cache)."""
    return _anonymous(f"/offentlig/samverkan/{ctx.collaboration.pk}/")


def kommun_path(ctx: BenchContext) -> str:
    """The portal page of the persona's collaboration's first kommun."""
    kommun = ctx.collaboration.kommuner.order_by("kod").first()
    return f"/offentlig/kommun/{kommun.kod if kommun else '2418'}/"


@scenario("portal.kommun")
def portal_kommun(ctx: BenchContext) -> HttpResponseBase:
    """A kommun's public portal page, anonymous (page cache; target p95 ≤ 2× floor, throughput ≥ 0.5×)."""
    return _anonymous(kommun_path(ctx))


@scenario("portal.kommun_uncached")
def portal_kommun_uncached(ctx: BenchContext) -> HttpResponseBase:
    """The same page rendered on every request (a search query bypasses the cache): the cost of a search."""
    return _anonymous(kommun_path(ctx) + "?q=trygghet")
