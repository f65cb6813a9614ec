from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Annotation ops ride in whiteboard's batches; whiteboard never imports reviews.
        from reviews.interview_ops import InterviewOps
        from reviews.review_services import ReviewOps
        from reviews.services import AnnotationOps
        from whiteboard import extensions

        extensions.register(AnnotationOps())
        extensions.register(InterviewOps())
        extensions.register(ReviewOps())
