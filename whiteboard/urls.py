"""Whiteboard's pages: my boards (also at /boards/), a board, joining by invite. The root URLconf includes them."""

from django.urls import path

from whiteboard import views

urlpatterns = [
    path("", views.board_list, name="board-list"),
    path("boards/", views.boards_redirect),
    path("boards/<uuid:board_id>/", views.board_page, name="board"),
    path("join/<str:token>", views.join, name="join"),
]
