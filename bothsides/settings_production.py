"""Production settings: the defaults plus the hardening `check --deploy` asks for.

Requires SECRET_KEY, ALLOWED_HOSTS and HTTPS in front (see docs/deploy.md).
"""

import os

os.environ.setdefault("DEBUG", "false")

from bothsides.settings import *  # noqa: F403
from bothsides.settings import env_bool

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SPECTACULAR_SETTINGS = {**SPECTACULAR_SETTINGS, "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"]}  # noqa: F405
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"  # links in reset and confirmation emails
