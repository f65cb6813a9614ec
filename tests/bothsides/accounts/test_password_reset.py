"""Password reset: an email (the console backend unless SMTP is configured) whose link sets a new password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

pytestmark = pytest.mark.django_db


def test_a_reset_email_carries_a_link_that_sets_a_new_password(client):
    user = get_user_model().objects.create_user("dana", "dana@example.com", "old-password-123")
    page = client.get("/accounts/password/reset/")
    assert page.status_code == 200 and b'data-testid="reset-form"' in page.content
    response = client.post("/accounts/password/reset/", {"email": "dana@example.com"})
    assert response.status_code == 302
    assert b'data-testid="reset-sent"' in client.get(response["Location"]).content
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"] and message.subject.startswith("[BothSides]")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    assert link, message.body

    form = client.get(link.group(1), follow=True)  # allauth moves the key out of the URL, into the session
    assert form.status_code == 200 and b'name="password1"' in form.content
    new = "brand-new-passphrase-77"
    done = client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)
    assert b'data-testid="reset-done"' in done.content
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.post("/accounts/login/", {"login": "dana", "password": new}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_reset_link(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_with_the_default_console_backend_the_link_is_printed_and_works(client, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # what settings.py sets by default
    get_user_model().objects.create_user("erin", "erin@example.com", "old-password-123")
    client.post("/accounts/password/reset/", {"email": "erin@example.com"})
    printed = capsys.readouterr().out
    assert "To: erin@example.com" in printed
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", printed)
    assert link, printed
    form = client.get(link.group(1), follow=True)
    assert b'name="password1"' in form.content and b"reset-bad-link" not in form.content


def test_a_bad_link_says_so_and_offers_a_new_one(client):
    page = client.get("/accounts/password/reset/key/1-bad-key/", follow=True)
    assert page.status_code == 200
    assert b'data-testid="reset-bad-link"' in page.content and b"/accounts/password/reset/" in page.content
    assert b"frontend/app.css" in page.content
