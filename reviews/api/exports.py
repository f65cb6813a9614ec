"""Board files over REST: export and import in the formats `reviews.formats` registers, by name.

Exports are for anyone on the board, each getting what they may see (no
private layer for a candidate), always as a download: `Content-Disposition:
attachment`, `X-Content-Type-Options: nosniff`, and for the formats a
browser could render (SVG, HTML, draw.io's XML) a sandboxing
Content-Security-Policy. Imports answer 201 with the report, or refuse the
whole file (400 with every problem, or with the `reason` an Excalidraw or
draw.io file could not be read at all; 413 for size) and create nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.export_queries import export_for
from reviews.formats import EXPORTS, FORMATS, IMPORTS
from reviews.formats.interop import too_large
from reviews.import_services import board_import
from whiteboard import cpu
from whiteboard.api.access import ERRORS, participation, require
from whiteboard.api.serializers import BoardImportInput, BoardOutput, ErrorOutput, Input
from whiteboard.models import Mode
from whiteboard.selectors import board_dict

DOWNLOAD = "The export as a download (Content-Disposition: attachment), in the media type of its format."
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
SCHEMA_TYPES = {"application/json": OpenApiTypes.OBJECT, "image/png": OpenApiTypes.BINARY}  # else text


def _listed(names: tuple[str, ...]) -> str:
    return "; ".join(f"`{name}`: {FORMATS[name].summary}" for name in names) + "."


class ExportNegotiation(BaseContentNegotiation):
    """JSON for errors, whatever the query says: `?format=` picks the export here, not a DRF renderer."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:  # type: ignore[override]  # DRF passes a list
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list[Any], format_suffix: str | None = None) -> Any:  # type: ignore[override]
        return renderers[0], renderers[0].media_type


class ExportQuery(Input):
    format = serializers.ChoiceField(choices=list(EXPORTS), default="json")


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "minLength": 1}]})
class PageField(serializers.Field):
    """A page number (0 or more) or a page name."""

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, int) and not isinstance(data, bool) and 0 <= data < 10_000:
            return data
        if isinstance(data, str) and 0 < len(data) <= 200:
            return data
        raise serializers.ValidationError("A page is a number from 0, or a page's name.")

    def to_representation(self, value: Any) -> Any:
        return value


class ImportInput(BoardImportInput):
    format = serializers.ChoiceField(choices=list(IMPORTS), help_text=_listed(IMPORTS))
    mode = serializers.ChoiceField(
        choices=Mode.choices, required=False, help_text="The new board's mode; by default the file's, else interview."
    )
    content = serializers.JSONField(
        help_text="JSON: the exported board, as an object or a string of JSON. Mermaid: the flowchart's text. "
        "Excalidraw: the `.excalidraw` scene or `.excalidrawlib` library, as text (or its JSON object). "
        "draw.io: the `.drawio` file's XML, as text."
    )
    page = PageField(
        required=False,
        help_text="draw.io only: the page to import, by number (from 0) or name. Without it the first page "
        "is imported and the report names the others.",
    )


class ImportNote(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="The line of a Mermaid source; null otherwise.")
    path = serializers.CharField(required=False, help_text="Where in a JSON file.")
    id = serializers.CharField(required=False, help_text="Excalidraw, draw.io: the file's element or cell id.")
    message = serializers.CharField()


class ImportOutput(BoardOutput):
    report = ImportNote(many=True, help_text="What was understood but not imported, or imported changed.")


class ImportErrorOutput(ErrorOutput):
    problems = ImportNote(
        many=True,
        required=False,
        help_text="Everything in the file that could not be understood; nothing was created. Absent when the "
        "request itself was refused (a missing or unknown field).",
    )
    reason = serializers.CharField(
        required=False,
        help_text="Excalidraw, draw.io: why the file could not be read at all, in one word (`malformed_xml`, "
        "`xml_forbidden`, `deflate_bomb`, `too_many_elements`, …); see docs/protocol.md.",
    )


def _download(body: bytes | str, media_type: str, filename: str, sandboxed: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if sandboxed:
        response["Content-Security-Policy"] = SANDBOX
    return response


class BoardExportApi(APIView):
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=list(EXPORTS),
                default="json",
                description=_listed(EXPORTS),
            )
        ],
        responses={
            **{
                (200, FORMATS[name].media_type.split(";")[0]): OpenApiResponse(
                    SCHEMA_TYPES.get(FORMATS[name].media_type, OpenApiTypes.STR), description=DOWNLOAD
                )
                for name in EXPORTS
            },
            **ERRORS,
        },
        description="Download the board as the caller may see it (no private layer unless they may read it).",
    )
    def get(self, request: Request, board_id: UUID) -> HttpResponse:
        participant = participation(request, board_id)
        form = FORMATS[ExportQuery(data=request.query_params.dict()).validated()["format"]]
        assert form.export is not None  # ExportQuery offers only formats with an exporter
        data = export_for(board_id=board_id, participant=participant)
        name = slugify(data["board"]["title"]) or "board"
        body = cpu.run(form.export, data)  # rendering is pure: off the serving process
        return _download(body, form.media_type, f"{name}.{form.extension}", form.sandboxed)


class BoardImportApi(APIView):
    @extend_schema(
        request=ImportInput,
        responses={
            201: ImportOutput,
            **ERRORS,
            400: ImportErrorOutput,
            413: ImportErrorOutput,
            429: OpenApiResponse(ErrorOutput, description="This person's import budget is spent: see Retry-After."),
        },
    )
    def post(self, request: Request) -> Response:
        require(request.user.is_authenticated, "Sign in to import boards.")
        try:
            raw = request.data
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            raise too_large(
                "file_too_large", f"The file is larger than the {limit:,} bytes an import may send."
            ) from None
        data = ImportInput(data=raw).validated()
        board, report = board_import(owner=request.user, **data)
        participant = participation(request, board.id)
        return Response({**board_dict(board), "role": participant.role, "report": report}, status=201)
