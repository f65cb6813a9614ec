"""The product's 404 page under DEBUG too.

With DEBUG on (`make run`'s default) Django answers an unknown URL with its technical page, which
lists every URL pattern: not what someone trying the product should see. handler404 covers DEBUG
off; this covers DEBUG on, so a page 404 looks the same either way (the API keeps its JSON).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from whiteboard.views import not_found


class NotFoundPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "product_page", False)
        ):
            return not_found(request)
        return response
