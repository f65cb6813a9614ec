from django.urls import path

from reviews import views

urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("boards/<uuid:board_id>/report/", views.report_page, name="report"),
    path("boards/<uuid:board_id>/report.md", views.report_markdown, name="report-markdown"),
    path("boards/<uuid:board_id>/diagram.svg", views.report_diagram, name="report-diagram"),
]
