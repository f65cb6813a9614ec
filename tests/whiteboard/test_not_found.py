"""Unknown pages get the product's 404 page (never Django's URL listing); /boards/ is the board list."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(get_user_model().objects.create_user("nina", password="pw"))
    return client


@pytest.mark.parametrize("debug", [False, True])
def test_boards_goes_to_the_board_list_whatever_debug_says(signed_in, settings, debug):
    settings.DEBUG = debug
    response = signed_in.get("/boards/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in.get("/boards/", follow=True).templates[0].name == "whiteboard/board_list.html"


def test_boards_signed_out_ends_at_the_sign_in_page(client):
    response = client.get("/boards/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/nope/", "/boards/not-a-uuid/", "/accounts/nonsense/", "/static-ish"])
def test_an_unknown_page_is_the_products_404_not_a_url_listing(signed_in, settings, path, debug):
    settings.DEBUG = debug
    response = signed_in.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'data-testid="not-found"' in body and "frontend/app.css" in body and "Go to my boards" in body
    assert "URLconf" not in body and "api/schema" not in body


@pytest.mark.parametrize("debug", [False, True])
def test_a_board_not_shared_with_me_is_the_same_404(signed_in, settings, debug):
    settings.DEBUG = debug
    response = signed_in.get(f"/boards/{uuid.uuid4()}/")
    assert response.status_code == 404 and b'data-testid="not-found"' in response.content


def test_the_404_page_escapes_the_path(client):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert response.status_code == 404
    assert b"<script>alert" not in response.content and b"&lt;script&gt;" in response.content


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_url_answers_in_the_api_error_shape(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_staff_manage_people_in_the_admin_and_see_the_link(client):
    admin = get_user_model().objects.create_superuser("root2", "root@example.com", "pw")
    get_user_model().objects.create_user("newcomer", "new@example.com", "pw")
    client.force_login(admin)
    assert b'data-testid="people-admin"' in client.get("/").content
    people = client.get("/admin/auth/user/")
    assert people.status_code == 200 and b"newcomer" in people.content
    assert client.get("/admin/account/emailaddress/").status_code == 200
