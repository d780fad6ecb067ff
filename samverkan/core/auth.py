"""Login policy: accounts are created by invitation, not by open sign-up; failed logins are throttled
per account and, far more loosely, per IP address, and every failure is audited.

A town hall sits behind one NAT address, so the IP limit (``SAMVERKAN_LOGIN_RATE``, default
60 failures in 10 minutes) only stops an attacker spraying many accounts; guessing one account's password
is stopped by its own limit (5 in 5 minutes). A blocked user is told when to try again.
"""

from __future__ import annotations

import math
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django import forms
from django.core.cache import cache
from django.utils.translation import ngettext

from samverkan.core.audit import audit_login_failed

LOGIN_FAILED = "login_failed"
APP = "allauth.account"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        # Members are invited by a samordnare (or created by an administrator).
        return False

    def pre_authenticate(self, request: Any, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            seconds = self.login_wait_seconds(request, **credentials)
            minutes = max(1, math.ceil(seconds / 60))
            raise forms.ValidationError(
                ngettext(
                    "För många misslyckade inloggningar. Försök igen om %(minutes)d minut.",
                    "För många misslyckade inloggningar. Försök igen om %(minutes)d minuter.",
                    minutes,
                )
                % {"minutes": minutes},
                code="too_many_login_attempts",
            ) from None

    def login_wait_seconds(self, request: Any, **credentials: Any) -> float:
        """Seconds until every exhausted login limit (per account, per IP) admits one more attempt."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        now = time.time()
        wait = 0.0
        for rate in ratelimit.get_rates(app=APP, action=LOGIN_FAILED):
            cache_key = ratelimit.get_cache_key(request, app=APP, action=LOGIN_FAILED, rate=rate, key=key)
            history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]  # newest first
            if len(history) >= rate.amount:
                wait = max(wait, history[rate.amount - 1] + rate.duration - now)
        return wait

    def authentication_failed(self, request: Any, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        login = str(credentials.get("email") or credentials.get("username") or "")
        audit_login_failed(login=login, ip=ratelimit.get_ip(request))


try:
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
except ImportError:  # pragma: no cover - socialaccount is optional
    DefaultSocialAccountAdapter = object  # type: ignore[assignment,misc]


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc,valid-type]
    def is_open_for_signup(self, request: Any, sociallogin: Any) -> bool:
        # An identity provider may only log in people who already have an invited account.
        return False
