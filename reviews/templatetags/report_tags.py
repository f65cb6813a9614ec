"""Small lookups the report template needs (Django templates cannot index a dict by a variable)."""

from __future__ import annotations

from typing import Any

from django import template

from reviews.formats.report import offset, readable_time

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def words(value: str) -> str:
    return value.replace("_", " ")


@register.filter
def when(value: str | None) -> str:
    """An ISO time as people read it: '4 Dec 2026, 18:50 UTC'."""
    return readable_time(value)


@register.filter
def into(value: str | None, start: str | None) -> str:
    """How far into the session: '12 min in'."""
    return offset(value, start)
