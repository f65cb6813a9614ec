"""Sign-up through the page: open, restricted to email domains, or closed, as BOTHSIDES_SIGNUP says."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a-long-enough-passphrase-42"


def sign_up(client: Any, username: str, email: str, **extra: str) -> Any:
    form = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", form)


def test_open_sign_up_creates_an_account_and_signs_it_in(client):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert b"Create an account" in page.content and b"frontend/app.css" in page.content  # the product's look
    response = sign_up(client, "alice", "alice@example.com")
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.com" and user.check_password(PASSWORD)
    assert client.get("/").status_code == 200  # signed in: my boards, not the sign-in page
    assert len(mail.outbox) == 1 and "alice@example.com" in mail.outbox[0].to  # confirm-your-address email


def test_the_sign_in_page_offers_sign_up_only_while_it_is_open(client, settings):
    assert b'data-testid="signup-link"' in client.get("/accounts/login/").content
    settings.BOTHSIDES_SIGNUP = "closed"
    assert b'data-testid="signup-link"' not in client.get("/accounts/login/").content


def test_closed_sign_up_shows_why_and_creates_nobody(client, settings):
    settings.BOTHSIDES_SIGNUP = "closed"
    page = client.get("/accounts/signup/")
    assert b"Sign-up is closed" in page.content and b'data-testid="signup-closed"' in page.content
    sign_up(client, "mallory", "mallory@example.com")
    assert not User.objects.filter(username="mallory").exists()


@pytest.fixture
def domains(settings: Any) -> None:
    settings.BOTHSIDES_SIGNUP, settings.BOTHSIDES_SIGNUP_DOMAINS = "domains", ["example.com", "team.org"]
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"


def test_domain_sign_up_refuses_other_domains(client, domains):
    page = client.get("/accounts/signup/")
    assert b"example.com, team.org" in page.content
    response = sign_up(client, "eve", "eve@evil.example")
    assert response.status_code == 200
    assert b"Sign-up is open to addresses at example.com, team.org only." in response.content
    assert not User.objects.filter(username="eve").exists()
    sign_up(client, "eve2", "eve@notexample.com")  # a suffix is not a subdomain
    assert not User.objects.filter(username="eve2").exists()


@pytest.mark.parametrize("email", ["bob@example.com", "bob@EU.Example.com", "bob@team.org"])
def test_domain_sign_up_takes_listed_domains_and_their_subdomains_then_asks_to_confirm(client, domains, email):
    response = sign_up(client, "bob", email)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and b"frontend/app.css" in sent.content and b"<h1>" in sent.content
    assert User.objects.filter(username="bob").exists()
    assert client.get("/").status_code == 302  # not signed in until the address is confirmed
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    path = link.group(0).split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    response = client.post("/accounts/login/", {"login": "bob", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_signed_up_people_sign_in_by_username_or_email(client):
    sign_up(client, "carol", "carol@example.com")
    client.logout()
    for login in ("carol", "carol@example.com", "CAROL@example.com"):
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302, (login, response.content[:500])
        client.logout()
    response = client.post("/accounts/login/", {"login": "carol", "password": "wrong"})
    assert response.status_code == 200 and b'class="error"' in response.content


def test_the_demo_user_and_the_old_username_field_still_sign_in(client):
    demo = User.objects.create(username="demo")
    demo.set_password("demo")
    demo.save()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="csrfmiddlewaretoken"' in page.content
    response = client.post("/accounts/login/", {"username": "demo", "password": "demo", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
