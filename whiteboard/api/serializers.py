"""Input checks and the documented shapes of responses (for the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from whiteboard.models import Mode, Role
from whiteboard.numbers import whole_number
from whiteboard.vocabulary import QUESTION_TYPES


class Input(serializers.Serializer):
    def validated(self) -> dict[str, Any]:
        """The checked input, or a validation_error naming the first bad field."""
        self.is_valid(raise_exception=True)
        return dict(self.validated_data)


class WholeNumberField(serializers.IntegerField):
    """An integer as JSON, or as ASCII digits in a query string; never `٣`, `1_0`, ` 7`, `true` or `7.0`."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str):
            data = whole_number(data)
        if isinstance(data, bool) or not isinstance(data, int) or len(str(abs(data))) > self.MAX_DIGITS:
            self.fail("invalid")
        return data

    MAX_DIGITS = 18


class BoardCreateInput(Input):
    title = serializers.CharField(max_length=200)
    prompt = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.INTERVIEW)
    question_type = serializers.ChoiceField(
        choices=list(QUESTION_TYPES),
        required=False,
        help_text="design (default), walkthrough or incident; a question brings its own.",
    )
    question = serializers.CharField(
        max_length=64,
        required=False,
        help_text="Start from a question (GET /api/questions/): its prompt, and for a design question an empty canvas.",
    )
    template = serializers.CharField(max_length=64, required=False, help_text="The older name of `question`.")


class BoardImportInput(Input):
    format = serializers.ChoiceField(choices=["json"])
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.JSONField(help_text="The exported board, as a JSON object or a string of JSON.")


class TemplateOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    prompt = serializers.CharField()
    question_type = serializers.CharField(required=False)
    elements = serializers.ListField(child=serializers.DictField(), help_text="What the canvas starts with.")


class BoardUpdateInput(Input):
    title = serializers.CharField(max_length=200, required=False)
    prompt = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class OpsQueryInput(Input):
    after = WholeNumberField(min_value=0, default=0)
    limit = WholeNumberField(min_value=1, max_value=1000, default=100)


class InviteCreateInput(Input):
    role = serializers.ChoiceField(choices=Role.choices, help_text="Which roles a board invites depends on its mode.")
    days = WholeNumberField(min_value=1, max_value=90, required=False)


class BoardOutput(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    prompt = serializers.CharField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    question_type = serializers.CharField()
    owner = serializers.CharField()
    seq = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    role = serializers.ChoiceField(choices=Role.choices, help_text="The caller's role on this board.")


class BoardDetailOutput(BoardOutput):
    elements = serializers.ListField(child=serializers.DictField())


class BatchOutput(serializers.Serializer):
    type = serializers.CharField()
    seq = serializers.IntegerField()
    id = serializers.CharField(help_text="The client's batch id.")
    participant = serializers.UUIDField()
    ops = serializers.ListField(child=serializers.DictField())
    at = serializers.DateTimeField()


class OpsPageOutput(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The board's current seq.")
    batches = BatchOutput(many=True)
    next = serializers.IntegerField(allow_null=True, help_text="Pass as ?after= for the next page, or null.")


class InviteOutput(serializers.Serializer):
    id = serializers.UUIDField()
    role = serializers.ChoiceField(choices=Role.choices)
    url = serializers.URLField(required=False, help_text="Only in the response that creates the invite.")
    created_by = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    revoked = serializers.BooleanField()
    joined = serializers.IntegerField(help_text="How many people joined with this link.")


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    path = serializers.CharField(required=False)
    retryable = serializers.BooleanField()
