"""The benchmark kit: what an app needs to define scenarios for ``samverkan bench``.

A scenario is a function that takes a ``BenchContext`` and returns the response of ONE request.
The runner (``samverkan bench``) calls it for warm-up, then times N runs; every response must
have status 200 (any other status stops the bench with an error, it is never counted as a timing).
One extra run counts the SQL queries. Register a scenario with the decorator::

    from samverkan.core.bench import BenchContext, scenario

    @scenario("meeting_list")
    def meeting_list(ctx: BenchContext):
        \"\"\"Meetings of the persona's collaboration.\"\"\"   # first line = description in the report
        return ctx.get(f"/samverkan/{ctx.collaboration.pk}/moten/")

    @scenario("api_meetings")
    def api_meetings(ctx: BenchContext):
        return ctx.api_get(f"/api/v1/meetings?collaboration={ctx.collaboration.pk}")

An app puts its scenarios in a module (``samverkan/<app>/bench_scenarios.py``) and names it on its
AppConfig (``bench_scenarios = "samverkan.<app>.bench_scenarios"``, see ``samverkan.core.registry``);
``load_scenarios`` imports those modules, so nothing else needs to change. Scenarios run in that order
(core's first, then the apps in INSTALLED_APPS order, each in registration order); ``floor`` always runs
first and is the baseline every ratio is computed against.

The context gives:
- ``ctx.client``: a ``django.test.Client`` logged in (``force_login``) as ``ctx.user``, a samordnare
  of ``ctx.collaboration`` and of nothing else (a member of one collaboration, as most users are);
- ``ctx.get(path)``: GET with that session; ``ctx.api_get(path)``: GET without a session but with
  ``Authorization: Bearer <ctx.token>`` (an API token of ``ctx.user``);
- ``ctx.client_as(role)``: a client logged in as another member of the collaboration (``"polis"``,
  ``"ledamot"``, ``"lasare"``); roles that must use two-step verification get a TOTP device;
- ``ctx.notice``, ``ctx.organisation``: a notice the persona may read and a party organisation,
  for detail pages; ``ctx.extra``: a dict a scenario may use to keep objects between runs.

Scenarios should not change data that later runs depend on (prefer reads; a write scenario must
leave the database as it found it, or only grow it a little, like the audit log of reads).
The bench's synthetic collaborations are those named with ``BENCH_TAG`` (``bench_collaborations``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.test import Client

from samverkan.core.models import Collaboration, Level, Membership, Notice, Organisation, Role
from samverkan.core.registry import bench_scenario_modules

FLOOR = "floor"
# The name of every collaboration the bench generates ends with this, so the bench can tell its own rows.
BENCH_TAG = " (bench)"

ScenarioFunc = Callable[["BenchContext"], HttpResponseBase]
F = TypeVar("F", bound=ScenarioFunc)


@dataclass(frozen=True)
class Scenario:
    name: str
    func: ScenarioFunc
    description: str
    # Run before every call of ``func``, untimed and with its queries uncounted: what a user did before
    # the request measured (a change to the cycle, the page they clicked from).
    before: Callable[[BenchContext], object] | None = None


REGISTRY: dict[str, Scenario] = {}


def scenario(
    name: str, *, description: str = "", before: Callable[[BenchContext], object] | None = None
) -> Callable[[F], F]:
    """Register ``func`` as the scenario ``name`` (description: argument or the docstring's first line);
    ``before(ctx)`` runs before each call, outside the timing."""

    def register(func: F) -> F:
        existing = REGISTRY.get(name)
        if existing is not None and existing.func.__qualname__ != func.__qualname__:
            raise ValueError(f"Scenario {name!r} is already registered by {existing.func.__module__}.")
        doc = (func.__doc__ or "").strip().splitlines()
        REGISTRY[name] = Scenario(
            name=name, func=func, description=description or (doc[0] if doc else ""), before=before
        )
        return func

    return register


def load_scenarios() -> dict[str, Scenario]:
    """Every registered scenario, ``floor`` first, then by the apps' ``bench_scenarios`` modules in app
    order (each imported here), then any registered elsewhere."""
    modules = bench_scenario_modules()
    for module in modules:
        import_module(module)
    rank = {module: index for index, module in enumerate(modules)}
    ordered = {FLOOR: REGISTRY[FLOOR]}
    # sorted() is stable: within one module, scenarios keep their registration order.
    rest = sorted(
        (s for name, s in REGISTRY.items() if name != FLOOR),
        key=lambda s: rank.get(s.func.__module__, len(rank)),
    )
    ordered.update((s.name, s) for s in rest)
    return ordered


def bench_collaborations() -> QuerySet[Collaboration]:
    """The collaborations the bench generated."""
    return Collaboration.objects.filter(name__endswith=BENCH_TAG)


NATIONAL_KOMMUNER = 290


def national_scale() -> bool:
    """Whether the bench data covers all 290 kommuner: the scale the issues set their targets at. Below it
    (--small, --kommuner, the curve's points) scenarios build smaller fixtures of their own, so a run that
    only proves the scenarios work stays quick."""
    kommuner = set(bench_collaborations().values_list("kommuner__kod", flat=True)) - {None}
    return len(kommuner) >= NATIONAL_KOMMUNER


@dataclass
class BenchContext:
    user: Any
    collaboration: Collaboration
    client: Client
    api_client: Client
    token: str
    notice: Notice | None = None
    organisation: Organisation | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _clients: dict[str, Client] = field(default_factory=dict, repr=False)

    @classmethod
    def create(cls, collaboration: Collaboration) -> BenchContext:
        """The samordnare persona of ``collaboration`` (the first by username), logged in, with a token."""
        from samverkan.core.publication import database_epoch
        from samverkan.core.services import api_token_create

        membership = (
            Membership.objects.filter(collaboration=collaboration, role=Role.SAMORDNARE)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if membership is None:
            raise ValueError(f"{collaboration} has no samordnare to act as.")
        user = membership.user
        # Made now and committed: a scenario that rolls its work back would otherwise make the database's
        # epoch and lose it again on every run, and no page cache keyed by it would ever be hit.
        database_epoch()
        client = Client()
        client.force_login(user)
        _token, raw = api_token_create(user=user, name="samverkan bench")
        notice = (
            Notice.objects.filter(collaboration=collaboration, level=Level.INTERN)
            .order_by("-created_at", "-id")
            .first()
        )
        organisation = (
            Organisation.objects.filter(participations__collaboration=collaboration).order_by("name").first()
        )
        return cls(
            user=user,
            collaboration=collaboration,
            client=client,
            api_client=Client(),
            token=raw,
            notice=notice,
            organisation=organisation,
        )

    def get(self, path: str, **extra: Any) -> HttpResponseBase:
        return self.client.get(path, **extra)

    def api_get(self, path: str, **extra: Any) -> HttpResponseBase:
        return self.api_client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.token}", **extra)

    def client_as(self, role: str) -> Client:
        """A client logged in as a member of the collaboration with ``role`` (created once)."""
        if role not in self._clients:
            membership = (
                Membership.objects.filter(collaboration=self.collaboration, role=role)
                .select_related("user")
                .order_by("user__username")
                .first()
            )
            if membership is None:
                raise ValueError(f"{self.collaboration} has no member with the role {role}.")
            if role in self.collaboration.mfa_roles:
                _give_totp(membership.user)
            client = Client()
            client.force_login(membership.user)
            self._clients[role] = client
        return self._clients[role]


def _give_totp(user: Any) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
