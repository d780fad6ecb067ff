"""Views: see urls.py for the routes this module serves."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
