"""allauth adapters: the sign-up policy, applied to the sign-up form and to single sign-on alike."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from bothsides.accounts import policy


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return policy.signup_open()

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not policy.email_allowed(email):
            domains = ", ".join(policy.signup_domains())
            raise ValidationError(f"Sign-up is open to addresses at {domains} only.", code="domain")
        return email


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """A first sign-in through SSO creates an account: only when sign-up is open to its address."""
        if not policy.signup_open():
            return False
        if policy.signup_mode() == "domains":
            addresses = [a.email for a in sociallogin.email_addresses] or [sociallogin.user.email or ""]
            return any(policy.email_allowed(a) for a in addresses if a)
        return True
