"""Who may create an account: BOTHSIDES_SIGNUP (open, domains, closed) and BOTHSIDES_SIGNUP_DOMAINS."""

from __future__ import annotations

from django.conf import settings


def signup_mode() -> str:
    return settings.BOTHSIDES_SIGNUP


def signup_domains() -> list[str]:
    return list(settings.BOTHSIDES_SIGNUP_DOMAINS)


def signup_open() -> bool:
    return signup_mode() != "closed"


def email_allowed(email: str) -> bool:
    """Whether this address may sign up: any, under `open`; one at a listed domain (or below it), under `domains`."""
    if signup_mode() != "domains":
        return signup_open()
    domain = email.rpartition("@")[2].strip().lower()
    return any(domain == d or domain.endswith(f".{d}") for d in signup_domains())
