"""Accounts configuration from the environment: sign-up policy, outgoing mail, single sign-on (OIDC)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from bothsides.settings import email_settings, oidc_providers, signup_policy

ROOT = Path(__file__).resolve().parents[2]
OIDC_ENV = {
    "BOTHSIDES_OIDC_SERVER_URL": "https://idp.example.com/realms/team",
    "BOTHSIDES_OIDC_CLIENT_ID": "bothsides",
    "BOTHSIDES_OIDC_SECRET": "s3cret",
    "BOTHSIDES_OIDC_NAME": "Acme SSO",
}


def test_sign_up_is_open_unless_told_otherwise():
    assert signup_policy({}) == ("open", [])
    assert signup_policy({"BOTHSIDES_SIGNUP": "closed"}) == ("closed", [])
    policy = signup_policy({"BOTHSIDES_SIGNUP": "domains", "BOTHSIDES_SIGNUP_DOMAINS": " Example.com, @team.org ,"})
    assert policy == ("domains", ["example.com", "team.org"])
    with pytest.raises(ImproperlyConfigured, match="BOTHSIDES_SIGNUP_DOMAINS"):
        signup_policy({"BOTHSIDES_SIGNUP": "domains"})
    with pytest.raises(ImproperlyConfigured, match="open, domains, closed"):
        signup_policy({"BOTHSIDES_SIGNUP": "invite-only"})


def test_mail_goes_to_the_console_unless_smtp_is_configured():
    assert email_settings({})["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    smtp = email_settings({"EMAIL_URL": "smtp://mailer%40acme.io:p%40ss@smtp.acme.io:2525"})
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.acme.io",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer@acme.io",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
    }
    ssl = email_settings({"EMAIL_URL": "smtps://u:p@smtp.acme.io"})
    assert ssl["EMAIL_PORT"] == 465 and ssl["EMAIL_USE_SSL"] and not ssl["EMAIL_USE_TLS"]
    host = email_settings({"EMAIL_HOST": "mx.acme.io", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "false"})
    assert (host["EMAIL_HOST"], host["EMAIL_PORT"], host["EMAIL_USE_TLS"]) == ("mx.acme.io", 25, False)
    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_URL": "sendgrid://key"})


def test_oidc_is_off_until_its_server_and_client_are_set():
    assert oidc_providers({}) == {}
    with pytest.raises(ImproperlyConfigured, match="CLIENT_ID"):
        oidc_providers({"BOTHSIDES_OIDC_SERVER_URL": "https://idp.example.com"})
    (app,) = oidc_providers(OIDC_ENV)["openid_connect"]["APPS"]
    assert app == {
        "provider_id": "sso",
        "name": "Acme SSO",
        "client_id": "bothsides",
        "secret": "s3cret",
        "settings": {"server_url": "https://idp.example.com/realms/team"},
    }


def test_the_environment_turns_the_provider_on_in_a_fresh_process():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "apps = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']; "
        "print(json.dumps([(a['provider_id'], a['name']) for a in apps]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bothsides.settings", **OIDC_ENV}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [["sso", "Acme SSO"]]


@pytest.mark.django_db
def test_with_oidc_on_the_sign_in_page_offers_it_and_it_sends_people_to_the_provider(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers(OIDC_ENV)
    page = client.get("/accounts/login/")
    assert b"Continue with Acme SSO" in page.content
    assert b"/accounts/oidc/sso/login/" in page.content
    discovery = {
        "issuer": "https://idp.example.com/realms/team",
        "authorization_endpoint": "https://idp.example.com/realms/team/auth",
        "token_endpoint": "https://idp.example.com/realms/team/token",
        "userinfo_endpoint": "https://idp.example.com/realms/team/userinfo",
        "jwks_uri": "https://idp.example.com/realms/team/certs",
    }
    answer: Any = mock.Mock(status_code=200, json=lambda: discovery)
    answer.raise_for_status = lambda: None
    with mock.patch("requests.Session.get", return_value=answer) as fetched:
        response = client.post("/accounts/oidc/sso/login/?process=login")
    assert fetched.call_args.args[0] == "https://idp.example.com/realms/team/.well-known/openid-configuration"
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == discovery["authorization_endpoint"]
    assert query["client_id"] == ["bothsides"] and query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/sso/login/callback/"]


@pytest.mark.django_db
def test_without_oidc_the_sign_in_page_has_no_sso_button(client):
    assert b"sso-login" not in client.get("/accounts/login/").content
