"""Account pages run through django-allauth, whose rate limits count in the cache: start each test clean."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_rate_limits(settings: Any) -> None:
    cache.clear()
    settings.BOTHSIDES_SIGNUP, settings.BOTHSIDES_SIGNUP_DOMAINS = "open", []
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
