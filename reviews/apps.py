from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Annotation ops ride in whiteboard's batches; whiteboard never imports reviews.
        from reviews.annotation_services import AnnotationOps
        from reviews.interview_services import InterviewOps
        from reviews.review_services import ReviewOps
        from whiteboard import extensions

        extensions.register(AnnotationOps())
        extensions.register(InterviewOps())
        extensions.register(ReviewOps())
