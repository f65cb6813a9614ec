"""The root URLconf: each app's pages and API, accounts (django-allauth), the API schema, the admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from whiteboard.views import not_found

urlpatterns = [
    path("", include("whiteboard.urls")),
    path("", include("reviews.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/", include("whiteboard.api.urls")),
    path("api/", include("reviews.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = not_found
