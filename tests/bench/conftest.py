"""The benchmark harness's tests: the command runs in the test worker's process."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _heap_frozen() -> Iterator[None]:
    """The runner collects garbage before each scenario's timed runs. In a test worker a full collection
    walks everything the session has made (every imported test module, schemathesis, the world …): up to
    a second per scenario. Frozen here, as the product's WSGI start-up freezes what start-up made, a
    collection walks only what the command itself allocates; what the command does is unchanged."""
    gc.freeze()
    yield
    gc.unfreeze()
