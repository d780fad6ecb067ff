"""The product's URLs and the load bench's floor: a bare view behind the same middleware, served the same way."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from samverkan.urls import urlpatterns as product_urlpatterns

FLOOR_PATH = "/bench/golv/"


def floor(request: HttpRequest) -> HttpResponse:
    """What any request costs before the product does anything: gunicorn, whitenoise, every middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(FLOOR_PATH.lstrip("/"), floor, name="bench_floor"), *product_urlpatterns]
