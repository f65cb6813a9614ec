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
