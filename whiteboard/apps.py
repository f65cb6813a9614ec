from django.apps import AppConfig


class WhiteboardConfig(AppConfig):
    name = "whiteboard"
    default_auto_field = "django.db.models.BigAutoField"
