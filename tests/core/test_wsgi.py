"""The WSGI entry point leaves start-up's objects out of the garbage collector's full collections."""

from __future__ import annotations

import gc
import importlib
import sys


def test_the_wsgi_module_loads_the_urls_and_freezes_what_start_up_made():
    sys.modules.pop("samverkan.wsgi", None)
    gc.unfreeze()
    try:
        module = importlib.import_module("samverkan.wsgi")
        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000  # Django, the apps and every view module
        assert "samverkan.meetings.views.minutes" in sys.modules  # the URLconf's views imported first
    finally:
        gc.unfreeze()
