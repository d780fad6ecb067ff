import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_wsgi_application()

# Import every view module now (the URLconf), then move what start-up made into the collector's permanent
# generation: a full (generation 2) collection then walks only what requests allocate, not the hundreds of
# thousands of objects of Django and the app, whose walk showed as 100–200 ms p95 spikes on whichever request
# happened to trigger it (issue 13's profiles).
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.freeze()
