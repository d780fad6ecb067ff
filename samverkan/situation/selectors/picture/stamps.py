"""The round of a live picture page, read in one query together with what its cache keys name.

A cached view of the joint picture needs the round (with its collaboration and template), the
collaboration's situation revision (the picture's key), and for the statistics beside it the
collaboration's kommun codes and the statistics revision (the data points' revision). Read one by
one they are five round trips on every view; ``picture_round_for_user`` reads them as scalar subqueries of
the round's own row, so a cached view makes one. What they mean does not change: each value is the one the
separate query would have read, taken before the picture is built (situation/revision.py).

The values travel on the round object (``Stamped``); ``picture_cache_key`` and ``cached_picture_statistics``
use them when present and read them themselves otherwise. Only a GET view may pass a stamped round on: after
a write in the same request its revision would be stale.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Aggregate, CharField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from samverkan.core.models import Collaboration
from samverkan.core.selectors import parse_id
from samverkan.core.visibility import membership_roles
from samverkan.indicators.models import DataRevision
from samverkan.indicators.revision import DATA_POINTS
from samverkan.situation.models import Round, SituationRevision


@dataclass(frozen=True)
class Stamp:
    """What a picture page's caches are keyed by, read with the round."""

    situation_revision: int | None  # None: the collaboration has no revision row yet
    kommun_codes: tuple[str, ...]  # sorted
    statistics_revision: str


class _CommaList(Aggregate):
    """The values joined by commas, in no particular order (GROUP_CONCAT, STRING_AGG)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s, ',')",
            **extra,
        )


@functools.cache
def _stamp_sql(vendor: str) -> tuple[str, str, str]:
    """The three scalar subqueries of a stamp, compiled once per database vendor from their querysets:
    the situation revision and the kommun codes of the collaboration given as a parameter, the data
    points' revision. On every view the round's query puts them in as they are (``RawSQL``): compiling
    them with the round (subqueries with an aggregate) took twice as long as running the query."""
    del vendor  # the key: the SQL is the connection's dialect
    revision = SituationRevision.objects.filter(collaboration_id=0).values("value")[:1]
    kommuner = (
        Collaboration.kommuner.through.objects.filter(collaboration_id=0)
        .order_by()
        .values("collaboration_id")
        .annotate(codes=_CommaList("kommun_id"))
        .values("codes")  # type: ignore[misc]  # django-stubs do not see the annotation
    )
    # statistics.statistics_revision: the data points' revision row, by its primary key.
    points = DataRevision.objects.filter(name=DATA_POINTS).values("value")[:1]
    return tuple(str(queryset.query.sql_with_params()[0]) for queryset in (revision, kommuner, points))  # type: ignore[return-value]


def with_stamp(rounds: QuerySet[Round], collaboration_id: int) -> QuerySet[Round]:
    """The rounds of collaboration ``collaboration_id`` with their ``Stamp`` read in the same query
    (``stamp_of`` gives it)."""
    revision, kommuner, points = _stamp_sql(connection.vendor)
    # The SQL is Django's own compilation of the querysets above; the values are parameters.
    return rounds.annotate(
        stamp_revision=RawSQL(revision, [collaboration_id]),  # noqa: S611
        stamp_kommuner=RawSQL(kommuner, [collaboration_id]),  # noqa: S611
        stamp_points=RawSQL(points, [DATA_POINTS]),  # noqa: S611
    )


def stamp_of(round_: Round) -> Stamp | None:
    """The stamp read with the round (``with_stamp``), or None when it was fetched without one."""
    if not hasattr(round_, "stamp_points"):
        return None
    codes = getattr(round_, "stamp_kommuner", None) or ""
    revision = getattr(round_, "stamp_revision", None)
    return Stamp(
        situation_revision=int(revision) if revision is not None else None,
        kommun_codes=tuple(sorted(code for code in codes.split(",") if code)),
        statistics_revision=str(getattr(round_, "stamp_points", None) or 0),
    )


def picture_round_for_user(user: Any, collaboration_id: Any, round_id: Any) -> Round:
    """The round of an active collaboration the user is a member of, with its collaboration, template and
    stamp, in one query; else 404 (the answer of get_collaboration_for_user + get_round_for_user)."""
    collaboration_pk, round_pk = parse_id(collaboration_id), parse_id(round_id)
    if collaboration_pk is None or round_pk is None or collaboration_pk not in membership_roles(user):
        raise Http404
    round_ = (
        with_stamp(
            Round.objects.filter(
                pk=round_pk, collaboration_id=collaboration_pk, collaboration__is_active=True
            ),
            collaboration_pk,
        )
        .select_related("template", "collaboration")
        .first()
    )
    if round_ is None:
        raise Http404
    return round_
