"""The sign-up policy for templates: the sign-in page offers sign-up only when it is open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bothsides.accounts import policy


def signup(request: HttpRequest) -> dict[str, Any]:
    return {
        "signup_mode": policy.signup_mode(),
        "signup_open": policy.signup_open(),
        "signup_domains": policy.signup_domains(),
    }
