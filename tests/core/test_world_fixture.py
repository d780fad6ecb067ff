"""The committed test world (tests/conftest.py): built once per worker, each test its own copy of the
objects in its own rolled-back transaction, and no world for the tests that do not ask for it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from samverkan.core.models import Collaboration, Notice
from tests import conftest


def test_a_test_sees_one_world_and_its_own_objects(world):
    assert get_user_model().objects.filter(username="samordnare").count() == 1
    assert Collaboration.objects.filter(name="Malå testsamverkan").count() == 1
    committed = conftest._committed
    if committed is not None:  # not the worker's first database test, which builds its own
        assert world is not committed.world
        assert world.users["polis"] is not committed.world.users["polis"]
        assert world.a.pk == committed.world.a.pk


@pytest.mark.parametrize("round_", [1, 2])
def test_what_a_test_changes_in_the_world_is_gone_for_the_next(world, round_):
    """Both rounds find the world as built, whichever runs first."""
    notice = world.notices["polis_only"]
    assert Notice.objects.get(pk=notice.pk).title == conftest.CANARY_A_POLIS_ONLY
    assert world.users["samordnare"].first_name != "Ändrad"
    Notice.objects.filter(pk=notice.pk).update(title="ändrad")
    world.users["samordnare"].first_name = "Ändrad"
    world.users["samordnare"].save()


def test_a_database_test_without_the_world_finds_none(db):
    assert not get_user_model().objects.filter(username="samordnare").exists()
    assert not Collaboration.objects.filter(name="Malå testsamverkan").exists()
    assert conftest._committed is None


def test_the_world_is_there_again_after_a_test_without_it(world):
    assert get_user_model().objects.get(username="samordnare").pk == world.users["samordnare"].pk


# Last in the module: the flush takes the reference data too, put back when the module ends.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_restored_after_module")
def test_a_transactional_test_builds_its_own_world(world):
    assert conftest._committed is None
    assert get_user_model().objects.filter(username="samordnare").count() == 1
