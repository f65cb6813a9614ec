"""The incident drill over REST: the incident as the caller may see it with its timeline, and one op at a time.

`GET` answers any participant (the fault and its blast radius only to owners and
interviewers, as in the welcome); `POST` takes one incident op (the shapes of
docs/protocol.md, "Incident") and runs it as a batch of one through the same
path a socket batch takes, so it is logged, broadcast and checked alike.
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.incident_services import incident_apply, incident_view
from whiteboard.api.access import ERRORS, participation


class IncidentApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, **ERRORS})
    def get(self, request: Request, board_id: UUID) -> Response:
        return Response(incident_view(board_id, participation(request, board_id)))

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, **ERRORS})
    def post(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        return Response(incident_apply(board_id=board_id, participant=participant, op=request.data), status=201)
