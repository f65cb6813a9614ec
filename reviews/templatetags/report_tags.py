"""Small lookups the report template needs (Django templates cannot index a dict by a variable)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, "")


@register.filter
def words(value: str) -> str:
    return value.replace("_", " ")
