from django.urls import path

from whiteboard.api import views

urlpatterns = [
    path("boards/", views.BoardListApi.as_view(), name="api-boards"),
    path("templates/", views.TemplateListApi.as_view(), name="api-templates"),
    path("boards/<uuid:board_id>/", views.BoardDetailApi.as_view(), name="api-board"),
    path("boards/<uuid:board_id>/ops/", views.BoardOpsApi.as_view(), name="api-board-ops"),
    path("boards/<uuid:board_id>/invites/", views.InviteListApi.as_view(), name="api-invites"),
    path("boards/<uuid:board_id>/invites/<uuid:invite_id>/", views.InviteDetailApi.as_view(), name="api-invite"),
]
