"""Login policy: accounts are created by invitation, not by open sign-up."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: Any) -> bool:
        # Members are invited by a samordnare (or created by an administrator).
        return False


try:
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
except ImportError:  # pragma: no cover - socialaccount is optional
    DefaultSocialAccountAdapter = object  # type: ignore[assignment,misc]


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc,valid-type]
    def is_open_for_signup(self, request: Any, sociallogin: Any) -> bool:
        # An identity provider may only log in people who already have an invited account.
        return False
