"""The failure drill over REST: single points of failure, design lints, next probes, and one drill.

The analysis is `reviews.drill`, pure; this view reads the board and the
caller's visible annotations and hands them over. Anyone on the board may
call it. Probes count only the public annotation layers, so the answer is the
same for every role, and the private layer is not even read for a caller who
cannot see it (`annotation_queries.visible`).
"""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import annotation_queries, drill
from reviews.annotations import KINDS
from reviews.decision_queries import decision_list
from whiteboard import cpu
from whiteboard.api.access import ERRORS, participation
from whiteboard.api.serializers import Input
from whiteboard.selectors import board_state


class AnalysisQuery(Input):
    fail = serializers.CharField(  # type: ignore[assignment]  # DRF moves declared fields off the class
        required=False,
        max_length=64,
        help_text=(
            "A component id: add a drill of that component going down (all its replicas at once); or a frame id: "
            "every component in that frame goes down at once."
        ),
    )


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), help_text=help_text)


_Analysis = inline_serializer(
    "BoardAnalysis",
    {
        "seq": serializers.IntegerField(help_text="The public seq of the board the analysis is of."),
        "entry_points": _ids(
            "The client components; on a board without clients, components with no incoming arrow "
            "and at least one outgoing one."
        ),
        "data_stores": _ids("Databases and storage."),
        "spofs": serializers.ListField(
            child=inline_serializer(
                "SinglePointOfFailure",
                {
                    "id": serializers.CharField(),
                    "entry_points_cut": serializers.IntegerField(min_value=1),
                    "stores_cut": serializers.IntegerField(min_value=0),
                    "components_lost": serializers.IntegerField(min_value=0),
                },
            ),
            help_text="Components with one replica whose failure cuts an entry point off a data store, worst first.",
        ),
        "lints": serializers.ListField(
            child=inline_serializer(
                "DesignLint",
                {
                    "code": serializers.ChoiceField(choices=list(drill.LINT_CODES)),
                    "elements": serializers.ListField(child=serializers.CharField(), min_length=1),
                    "message": serializers.CharField(),
                },
            )
        ),
        "probes": serializers.ListField(
            child=inline_serializer(
                "Probe",
                {
                    "target": serializers.CharField(allow_null=True),
                    "kind": serializers.ChoiceField(choices=list(KINDS)),
                    "text": serializers.CharField(),
                },
            ),
            help_text="Suggested challenges, most useful first; `text` is ready to post as an annotation.",
        ),
        "drill": inline_serializer(
            "Drill",
            {
                "failed": serializers.CharField(help_text="The component or frame asked for."),
                "failed_components": _ids(
                    "The components that went down: the one failed, or every component in the frame (none: empty)."
                ),
                "lost": _ids("Components that stop working with it (synchronous dependency); not the failed ones."),
                "degraded": _ids("Still up, but an arrow path leads to something lost (async, queue, fallback)."),
                "unreachable": _ids("Neither lost nor degraded, but no entry point reaches them any more."),
                "entry_points_cut": _ids("Entry points that can no longer reach a data store they reached before."),
                "stores_cut": _ids("The data stores some entry point can no longer reach."),
                "single_point_of_failure": serializers.BooleanField(),
                "summary": serializers.CharField(),
            },
            required=False,
            help_text="Only with `?fail=`.",
        ),
    },
)


class AnalysisApi(APIView):
    @extend_schema(
        parameters=[AnalysisQuery],
        responses={200: _Analysis, **ERRORS},
        description=(
            "Single points of failure, design lints and suggested probes for the board as it is now; with "
            "`fail=<component id>`, also a drill of that component going down; with `fail=<frame id>`, of every "
            "component in that frame going down at once. Rules in docs/protocol.md (Failure drill). An unknown "
            "`fail` is 400 unknown_ref; an arrow or note is 400 validation_error."
        ),
    )
    def get(self, request: Request, board_id: UUID) -> Response:
        participant = participation(request, board_id)
        # A plain dict, not the QueryDict: DRF reads an empty form value as absent, and `fail=` is not "no drill".
        fail = AnalysisQuery(data=request.query_params.dict()).validated().get("fail")
        board, elements, _extra = board_state(board_id)
        public = annotation_queries.visible(board_id, participant).filter(layer__in=sorted(drill.PUBLIC_LAYERS))
        covered = public.exclude(target="").values("layer", "target", "kind")
        decided = decision_list(board_id)
        # pure: off the serving process
        analysis = cpu.run(drill.analyse, elements, list(covered), fail=fail, decisions=decided)
        return Response({"seq": board.seq, **analysis})
