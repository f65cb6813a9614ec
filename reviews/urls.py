from django.urls import path

from reviews import practice_pages, question_pages, views

urlpatterns = [
    path("inbox/", views.inbox_page, name="inbox"),
    path("practice/", practice_pages.practice_page, name="practice"),
    path("boards/<uuid:board_id>/feedback/", practice_pages.feedback_page, name="practice-feedback"),
    path("practice/shared/<str:token>/", practice_pages.shared_page, name="practice-shared"),
    path("questions/", question_pages.questions_page, name="questions"),
    path("questions/new/", question_pages.question_edit_page, name="question-new"),
    path("questions/<str:key>/edit/", question_pages.question_edit_page, name="question-edit"),
    path("boards/<uuid:board_id>/report/", views.report_page, name="report"),
    path("boards/<uuid:board_id>/report.md", views.report_markdown, name="report-markdown"),
    path("boards/<uuid:board_id>/report.json", views.report_json, name="report-json"),
    path("boards/<uuid:board_id>/diagram.svg", views.report_diagram, name="report-diagram"),
]
