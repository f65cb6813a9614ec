from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Annotation ops ride in whiteboard's batches; whiteboard never imports reviews.
        from reviews.annotation_services import AnnotationOps
        from reviews.coach_services import NoticeOps
        from reviews.decision_services import DecisionOps
        from reviews.flow_services import FlowOps
        from reviews.incident_services import IncidentOps
        from reviews.interview_services import InterviewOps
        from reviews.question_services import QuestionSource
        from reviews.review_services import ReviewOps
        from reviews.scenario_services import ScenarioOps
        from whiteboard import extensions, starts

        extensions.register(AnnotationOps())
        extensions.register(InterviewOps())
        extensions.register(ReviewOps())
        extensions.register(IncidentOps())
        extensions.register(FlowOps())
        extensions.register(ScenarioOps())
        extensions.register(NoticeOps())
        extensions.register(DecisionOps())
        # Boards start from the question bank; whiteboard never imports reviews.
        starts.register(QuestionSource())
