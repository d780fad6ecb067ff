"""Request typing for views behind login_required."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
