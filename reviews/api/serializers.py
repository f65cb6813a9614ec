"""Request checks and documented response shapes for the annotation endpoints.

These check shape only (types, choices, which properties exist). The rules
on content (text limits after NFC, id syntax, who may do what) live in
`reviews.annotations` and run in the service, so REST and the socket cannot
drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.settings import api_settings

from reviews.annotations import KINDS, LAYERS, STATUSES
from whiteboard.api.serializers import Input
from whiteboard.errors import ErrorCode, SyncError

SETTABLE_STATUSES = ("resolved", "reopened")  # what a set_status op may ask for; the rest the server sets
TEXT_HELP = "1 to 4,000 characters after NFC; no NUL, unpaired surrogates or bidirectional overrides."
ID_HELP = "1 to 64 of [A-Za-z0-9_-]. Made by the server when absent."


class JsonString(serializers.CharField):
    """A JSON string, taken as sent: no number turned into text, no whitespace trimmed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictInput(Input):
    # Refuses properties it does not know, as the socket does; errors not about
    # one field carry no path. (A comment, not a docstring: the schema would
    # show it on every input.)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({unknown[0]: ["Unknown property."]})
        return super().to_internal_value(data)

    def validated(self) -> dict[str, Any]:
        try:
            return super().validated()
        except serializers.ValidationError as exc:
            general = exc.detail.get(api_settings.NON_FIELD_ERRORS_KEY) if isinstance(exc.detail, dict) else None
            if isinstance(general, list) and general:
                raise SyncError(ErrorCode.VALIDATION_ERROR, str(general[0])) from exc
            raise


class AnnotationQuery(StrictInput):
    """Filters; each given one must match. Unknown parameters are refused."""

    layer = serializers.ChoiceField(choices=LAYERS, required=False)
    kind = serializers.ChoiceField(choices=KINDS, required=False)
    status = serializers.ChoiceField(choices=STATUSES, required=False)
    target = JsonString(
        required=False, allow_blank=True, max_length=64, help_text="An element id; empty for board-level annotations."
    )


class AnnotationCreateInput(StrictInput):
    """A new annotation, stored as an `annotate` op."""

    id = JsonString(required=False, help_text=f"{ID_HELP} Private ids start with 'p-'; no other id may.")
    layer = serializers.ChoiceField(choices=LAYERS)
    target = JsonString(allow_null=True, help_text="A component or arrow id, or null for the whole board.")
    kind = serializers.ChoiceField(choices=KINDS)
    text = JsonString(help_text=TEXT_HELP)


class AnnotationUpdateInput(StrictInput):
    """Exactly one of `text` (your own annotation's text) or `status` (resolve or reopen)."""

    text = JsonString(required=False, help_text=TEXT_HELP)
    status = serializers.ChoiceField(choices=SETTABLE_STATUSES, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            raise serializers.ValidationError("Send exactly one of text or status.")
        return attrs


class ReplyCreateInput(StrictInput):
    """A reply appended to the annotation, stored as a `reply` op."""

    id = JsonString(required=False, help_text=f"{ID_HELP} Unique within the thread.")
    text = JsonString(help_text=TEXT_HELP)


class ReplyUpdateInput(StrictInput):
    """New text for your own reply, stored as an `edit_text` op."""

    text = JsonString(help_text=TEXT_HELP)


class ReplyOutput(serializers.Serializer):
    id = serializers.CharField()
    author = serializers.UUIDField(help_text="A participant id.")
    text = serializers.CharField()
    seq = serializers.IntegerField(help_text="The public seq of the canvas the reply was made against.")
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)


class AnnotationOutput(serializers.Serializer):
    id = serializers.CharField()
    layer = serializers.ChoiceField(choices=LAYERS)
    target = serializers.CharField(allow_null=True, help_text="An element id, or null for the whole board.")
    kind = serializers.ChoiceField(choices=KINDS)
    text = serializers.CharField()
    author = serializers.UUIDField(help_text="A participant id.")
    prompted = serializers.BooleanField(help_text="Raised as a challenge, rather than written unasked.")
    status = serializers.ChoiceField(choices=STATUSES)
    snapshot = serializers.DictField(allow_null=True, help_text="The target's meaning when the annotation was raised.")
    raised_seq = serializers.IntegerField()
    answered_seq = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    replies = ReplyOutput(many=True)
    orphaned = serializers.BooleanField(help_text="The target no longer exists.")
    outdated = serializers.BooleanField(
        help_text="The target exists but changed meaning since the annotation was raised."
    )
