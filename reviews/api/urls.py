from django.urls import path

from reviews.api import views

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
]
