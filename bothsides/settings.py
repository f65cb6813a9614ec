"""Settings, read from the environment with embedded defaults.

Unset, everything runs in one process with SQLite and the in-memory channel
layer (`make run` needs nothing but Python). `DATABASE_URL` and `REDIS_URL`
switch to PostgreSQL and Redis so several Daphne processes can share a board.
Production hardening lives in `bothsides.settings_production`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return default if not value else [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-not-secret-bothsides-" + "x" * 32
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "bothsides.accounts",  # before allauth: its templates override allauth's
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "whiteboard",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bothsides.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "bothsides.urls"
ASGI_APPLICATION = "bothsides.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bothsides.accounts.context_processors.signup",
            ],
        },
    },
]

# SQLite: WAL so readers never wait for the writer, IMMEDIATE so a write
# transaction takes the lock up front instead of failing on upgrade, FULL
# sync because an acknowledged batch must survive a power cut.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'bothsides.sqlite3'}",
        # Channels runs all ORM calls of a process on one thread and closes
        # stale connections around each; a persistent connection saves a
        # handshake (and SQLite's PRAGMAs) on every batch. No health-check
        # ping either: after a database restart one call fails (a retryable
        # db_unavailable) and the next reconnects.
        conn_max_age=600,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = _SQLITE_OPTIONS
    # A file (socket tests reach it from the database thread), one per test process,
    # so two test runs on one checkout never share, and corrupt, one database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Accounts: django-allauth (sign-up, sign-in by username or email, password
# reset, email confirmation, single sign-on). The `accounts` app holds the
# policy (who may sign up) and the templates; docs/deploy.md lists the knobs.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SIGNUP_MODES = ("open", "domains", "closed")


def signup_policy(environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """BOTHSIDES_SIGNUP (open, domains or closed) and the domains BOTHSIDES_SIGNUP_DOMAINS lets in."""
    mode = (environ.get("BOTHSIDES_SIGNUP") or "open").strip().lower()
    if mode not in SIGNUP_MODES:
        raise ImproperlyConfigured(f"BOTHSIDES_SIGNUP must be one of {', '.join(SIGNUP_MODES)}, not {mode!r}.")
    raw = environ.get("BOTHSIDES_SIGNUP_DOMAINS") or ""
    domains = sorted({d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip()})
    if mode == "domains" and not domains:
        raise ImproperlyConfigured("BOTHSIDES_SIGNUP=domains needs BOTHSIDES_SIGNUP_DOMAINS (e.g. example.com).")
    return mode, domains


def oidc_providers(environ: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """allauth's SOCIALACCOUNT_PROVIDERS for one OpenID Connect provider, when BOTHSIDES_OIDC_* are set."""
    server_url = environ.get("BOTHSIDES_OIDC_SERVER_URL", "")
    if not server_url:
        return {}
    client_id = environ.get("BOTHSIDES_OIDC_CLIENT_ID", "")
    if not client_id:
        raise ImproperlyConfigured("BOTHSIDES_OIDC_SERVER_URL is set: BOTHSIDES_OIDC_CLIENT_ID must be too.")
    app = {
        "provider_id": environ.get("BOTHSIDES_OIDC_ID") or "sso",
        "name": environ.get("BOTHSIDES_OIDC_NAME") or "single sign-on",
        "client_id": client_id,
        "secret": environ.get("BOTHSIDES_OIDC_SECRET", ""),
        "settings": {"server_url": server_url},
    }
    return {"openid_connect": {"APPS": [app], "OAUTH_PKCE_ENABLED": True}}


def email_settings(environ: Mapping[str, str]) -> dict[str, object]:
    """Outgoing mail: EMAIL_URL (smtp://user:password@host:587?tls=true, smtps://… for SSL, console:),
    or EMAIL_HOST with EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS; else the console."""
    url = environ.get("EMAIL_URL", "")
    if url:
        parts = urlsplit(url)
        if parts.scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if parts.scheme not in {"smtp", "smtps"}:
            raise ImproperlyConfigured(f"EMAIL_URL must be smtp://, smtps:// or console:, not {parts.scheme}://.")
        query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
        ssl = parts.scheme == "smtps" or query.get("ssl") in {"1", "true", "yes", "on"}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if ssl else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": ssl,
            "EMAIL_USE_TLS": not ssl and query.get("tls", "true") in {"1", "true", "yes", "on"},
        }
    if environ.get("EMAIL_HOST"):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": environ["EMAIL_HOST"],
            "EMAIL_PORT": int(environ.get("EMAIL_PORT") or 587),
            "EMAIL_HOST_USER": environ.get("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": environ.get("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", True, environ),
        }
    return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}


BOTHSIDES_SIGNUP, BOTHSIDES_SIGNUP_DOMAINS = signup_policy(os.environ)
globals().update(email_settings(os.environ))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "BothSides <bothsides@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

ACCOUNT_ADAPTER = "bothsides.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "bothsides.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {"login": "bothsides.accounts.forms.LoginForm", "signup": "bothsides.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up restricted to domains means nothing unless the address is proven: mandatory there.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("BOTHSIDES_EMAIL_VERIFICATION") or (
    "mandatory" if BOTHSIDES_SIGNUP == "domains" else "optional"
)
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured("BOTHSIDES_EMAIL_VERIFICATION must be none, optional or mandatory.")
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BothSides] "
ACCOUNT_USERNAME_BLACKLIST = ["admin", "root", "support", "api"]
SOCIALACCOUNT_PROVIDERS = oidc_providers(os.environ)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "whiteboard.api.authentication.ParticipantSessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["whiteboard.api.permissions.IsParticipantOrUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["whiteboard.api.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "whiteboard.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BothSides API",
    "DESCRIPTION": "Boards, invites and the op log of BothSides, the system-design whiteboard.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# Live sync tuning; tests shorten these.
BOTHSIDES = {
    "HEAD_INTERVAL": float(os.environ.get("BOTHSIDES_HEAD_INTERVAL", "15")),
    "GAP_WAIT": float(os.environ.get("BOTHSIDES_GAP_WAIT", "0.2")),
    "INVITE_DAYS": 7,
    # whiteboard.cpu: worker processes for pure CPU-heavy request steps (0: run them inline), and
    # the seconds one step may take before it is refused `too_large` and its worker killed.
    "CPU_WORKERS": int(os.environ.get("BOTHSIDES_CPU_WORKERS", "2")),
    "CPU_TIME_CAP": float(os.environ.get("BOTHSIDES_CPU_TIME_CAP", "10")),
}

# The practice coach's rules file (empty: reviews/coach_rules.json), and for tests a speed-up:
# the coach's timings (not the clock's length) run this many times faster.
COACH_RULES = os.environ.get("BOTHSIDES_COACH_RULES", "")
COACH_TIME_SCALE = float(os.environ.get("BOTHSIDES_COACH_TIME_SCALE", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"whiteboard": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")}},
}
