"""Settings of the server ``samverkan bench --load`` starts: the product's, plus the floor view's URL."""

from samverkan.settings import *  # noqa: F403 - the product's settings, unchanged but for the URLconf

ROOT_URLCONF = "samverkan.bench.load_urls"
