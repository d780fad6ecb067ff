"""The one visibility rule: queryset filter and single-object check must always agree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.core.models import Level, Notice, Role, encode_roles
from samverkan.core.visibility import ROLE_SETS_CONTAINING, can_read, forget, readable_levels, visibility_q
from tests.conftest import CANARIES_A, CANARY_A_POLIS_ONLY
from tests.factories import CountyReaderFactory, NoticeFactory, UserFactory


def test_role_sets_containing_lists_every_superset():
    assert len(ROLE_SETS_CONTAINING[Role.POLIS]) == 8
    assert "polis" in ROLE_SETS_CONTAINING[Role.POLIS]
    assert "lasare,ledamot,polis,samordnare" in ROLE_SETS_CONTAINING[Role.POLIS]
    assert all("polis" in s.split(",") for s in ROLE_SETS_CONTAINING[Role.POLIS])


def test_readable_levels():
    assert readable_levels(None) == set()
    assert readable_levels("ledamot", frozenset({"polis"})) == {"oppen", "intern"}
    assert readable_levels("polis", frozenset({"polis"})) == {"oppen", "intern", "begransad"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("samordnare", {CANARIES_A[Level.OPPEN], CANARIES_A[Level.INTERN], CANARIES_A[Level.BEGRANSAD]}),
        ("polis", {*CANARIES_A.values(), CANARY_A_POLIS_ONLY}),
        ("ledamot", {CANARIES_A[Level.OPPEN], CANARIES_A[Level.INTERN]}),
        ("lasare", {CANARIES_A[Level.OPPEN], CANARIES_A[Level.INTERN]}),
        ("outsider", {"KANARIE-B-OPPEN", "KANARIE-B-INTERN", "KANARIE-B-BEGRANSAD"}),
    ],
)
def test_visible_to_per_persona(world, persona, expected):
    titles = set(Notice.objects.visible_to(world.users[persona]).values_list("title", flat=True))
    assert titles == expected


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Notice.objects.visible_to(AnonymousUser()).exists()


def test_superuser_without_membership_sees_no_content(world):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert not Notice.objects.visible_to(admin).exists()


def test_county_reader_sees_only_open_content_in_county(world):
    reader = UserFactory(username="lansstyrelsen")
    CountyReaderFactory(user=reader, lan_id="24")  # Västerbotten: collaboration A (Malå)
    titles = set(Notice.objects.visible_to(reader).values_list("title", flat=True))
    assert titles == {CANARIES_A[Level.OPPEN]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    role=st.sampled_from([r.value for r in Role]),
    level=st.sampled_from([lv.value for lv in Level]),
    restricted=st.sets(st.sampled_from([r.value for r in Role]), min_size=1),
)
def test_queryset_and_object_rule_agree(world, role, level, restricted):
    user = world.users["ledamot"]
    user.memberships.update(role=role)
    forget(user)
    notice = NoticeFactory(collaboration=world.a, level=level, restricted_to=encode_roles(restricted))
    in_queryset = Notice.objects.filter(visibility_q(user), pk=notice.pk).exists()
    assert in_queryset == can_read(user, notice)
    assert in_queryset == (level != Level.BEGRANSAD or role in restricted)


def test_whose_organisation_a_member_acts_for_costs_no_query_per_row(world, django_assert_num_queries):
    """Lists of work orders and follow-ups ask it once per row: it comes from the request's membership rows."""
    from samverkan.core.permissions import member_organisation_id

    user = world.users["ledamot"]
    assert member_organisation_id(user, world.a.pk) == world.org_a.pk
    with django_assert_num_queries(0):
        for _ in range(20):
            assert member_organisation_id(user, world.a.pk) == world.org_a.pk
        assert member_organisation_id(user, world.b.pk) is None
