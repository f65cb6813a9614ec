from django.urls import path

from reviews.api import interviews, scorecards, views

urlpatterns = [
    path("boards/<uuid:board_id>/annotations/", views.AnnotationListApi.as_view(), name="api-annotations"),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/",
        views.AnnotationDetailApi.as_view(),
        name="api-annotation",
    ),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/replies/",
        views.ReplyListApi.as_view(),
        name="api-replies",
    ),
    path(
        "boards/<uuid:board_id>/annotations/<str:annotation_id>/replies/<str:reply_id>/",
        views.ReplyDetailApi.as_view(),
        name="api-reply",
    ),
    path("boards/<uuid:board_id>/scorecards/", scorecards.ScorecardListApi.as_view(), name="api-scorecards"),
    path("boards/<uuid:board_id>/scorecards/mine/", scorecards.MyScorecardApi.as_view(), name="api-my-scorecard"),
    path(
        "boards/<uuid:board_id>/scorecards/mine/submit/",
        scorecards.SubmitScorecardApi.as_view(),
        name="api-submit-scorecard",
    ),
    path("boards/<uuid:board_id>/signals/", interviews.SignalsApi.as_view(), name="api-signals"),
]
