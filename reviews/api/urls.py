from django.urls import path

from reviews.api import annotations, decisions, drill, exports, incident, interviews, questions, reviews, scorecards

urlpatterns = [
    path("boards/import/", exports.BoardImportApi.as_view(), name="api-board-import"),
    path("boards/<uuid:board_id>/export/", exports.BoardExportApi.as_view(), name="api-board-export"),
    path("boards/<uuid:board_id>/annotations/", annotations.AnnotationListApi.as_view(), name="api-annotations"),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/",
        annotations.AnnotationDetailApi.as_view(),
        name="api-annotation",
    ),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/replies/",
        annotations.ReplyListApi.as_view(),
        name="api-replies",
    ),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/replies/<str:reply_id>/",
        annotations.ReplyDetailApi.as_view(),
        name="api-reply",
    ),
    path("boards/<uuid:board_id>/scorecards/", scorecards.ScorecardListApi.as_view(), name="api-scorecards"),
    path("boards/<uuid:board_id>/scorecards/mine/", scorecards.MyScorecardApi.as_view(), name="api-my-scorecard"),
    path(
        "boards/<uuid:board_id>/scorecards/mine/submit/",
        scorecards.SubmitScorecardApi.as_view(),
        name="api-submit-scorecard",
    ),
    path("boards/<uuid:board_id>/decisions/", decisions.DecisionListApi.as_view(), name="api-decisions"),
    path("boards/<uuid:board_id>/incident/", incident.IncidentApi.as_view(), name="api-incident"),
    path("boards/<uuid:board_id>/signals/", interviews.SignalsApi.as_view(), name="api-signals"),
    path("boards/<uuid:board_id>/state/", interviews.StateApi.as_view(), name="api-state"),
    path("boards/<uuid:board_id>/timeline/", interviews.TimelineApi.as_view(), name="api-timeline"),
    path("boards/<uuid:board_id>/versions/", reviews.VersionListApi.as_view(), name="api-versions"),
    path("boards/<uuid:board_id>/versions/<int:number>/", reviews.VersionDetailApi.as_view(), name="api-version"),
    path(
        "boards/<uuid:board_id>/versions/<int:number>/restore/",
        reviews.VersionRestoreApi.as_view(),
        name="api-version-restore",
    ),
    path("boards/<uuid:board_id>/diff/", reviews.DiffApi.as_view(), name="api-diff"),
    path("boards/<uuid:board_id>/reviews/", reviews.ReviewListApi.as_view(), name="api-reviews"),
    path("boards/<uuid:board_id>/reviews/pending/", reviews.PendingListApi.as_view(), name="api-pending"),
    path(
        "boards/<uuid:board_id>/reviews/pending/<str:annotation_id>/",
        reviews.PendingDetailApi.as_view(),
        name="api-pending-comment",
    ),
    path("boards/<uuid:board_id>/reviews/submit/", reviews.ReviewSubmitApi.as_view(), name="api-review-submit"),
    path("inbox/", reviews.InboxApi.as_view(), name="api-inbox"),
    path("boards/<uuid:board_id>/analysis/", drill.AnalysisApi.as_view(), name="api-analysis"),
    path("questions/", questions.QuestionListApi.as_view(), name="api-questions"),
    path("questions/<str:key>/", questions.QuestionDetailApi.as_view(), name="api-question"),
    path("questions/<str:key>/versions/", questions.QuestionVersionListApi.as_view(), name="api-question-versions"),
    path("boards/<uuid:board_id>/question/", questions.BoardQuestionApi.as_view(), name="api-board-question"),
    path(
        "boards/<uuid:board_id>/question/compare/",
        questions.BoardQuestionCompareApi.as_view(),
        name="api-board-question-compare",
    ),
]
