"""Who may open a socket on a real server: a browser session only from our own origin, a token from anywhere.

The session cookie comes from a real sign-in (CSRF token and all), because the
Origin check exists for exactly that cookie: a page on another site can make
the browser send it, but cannot make it lie about the Origin.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
from http.cookies import SimpleCookie

import pytest
from websockets.exceptions import InvalidStatus

from tests.whiteboard.live import servers
from tests.whiteboard.live.wire import add, batch

pytestmark = pytest.mark.live

PASSWORD = "a-long-live-test-password"


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the login form as a browser would; the Cookie header the browser then sends."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/accounts/login/")
        page = connection.getresponse()
        body = page.read().decode()
        assert page.status == 200, body
        csrf = _cookies(page)["csrftoken"]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, "no CSRF token in the login form"
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": found.group(1), "next": "/"}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
        connection.request("POST", "/accounts/login/", body=form, headers=headers)
        done = connection.getresponse()
        done.read()
        assert done.status == 302, f"sign-in failed with {done.status}"
        return f"sessionid={_cookies(done)['sessionid']}; csrftoken={csrf}"
    finally:
        connection.close()


@pytest.fixture(scope="module")
def signed_in(sqlite_env, _sqlite_daphne):
    """A board whose interviewer has signed in on the shared server; (board, Cookie header)."""
    board = servers.seed(sqlite_env, {"owner": "owner", "interviewer": "interviewer"}, password=PASSWORD)
    return board, sign_in(_sqlite_daphne.port, board["interviewer"].username, PASSWORD)


async def refused(peers, url: str, **kwargs) -> int:
    with pytest.raises(InvalidStatus) as refusal:
        await peers(url, "refused", **kwargs)
    return refusal.value.response.status_code


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_a_session_from_our_own_origin_is_accepted(sqlite_server, signed_in, peers, host):
    board, cookie = signed_in
    origin = f"http://{host}:{sqlite_server.port}"
    client = await peers(sqlite_server.ws_url(board.id), "browser", headers={"Cookie": cookie}, origin=origin)
    welcome = await client.recv_type("welcome")
    assert welcome["you"]["participant"] == board["interviewer"].participant
    assert welcome["you"]["role"] == "interviewer"
    name = host.replace(".", "-")
    await client.commit(batch(f"from-{name}", add(f"api-{name}")))


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1.evil.example", "null", None, "http://127.0.0.1:1"]
)
async def test_a_session_from_any_other_origin_or_none_is_refused(sqlite_server, signed_in, peers, origin):
    board, cookie = signed_in
    status = await refused(peers, sqlite_server.ws_url(board.id), headers={"Cookie": cookie}, origin=origin)
    assert status == 403


async def test_without_a_session_our_origin_alone_opens_nothing(sqlite_server, signed_in, peers):
    board, _ = signed_in
    assert await refused(peers, sqlite_server.ws_url(board.id), origin=sqlite_server.origin) == 403


async def test_a_token_needs_no_origin(sqlite_server, signed_in, peers):
    board, _ = signed_in
    client = await peers(sqlite_server.ws_url(board.id), "script", headers=board["owner"].headers)
    assert (await client.recv_type("welcome"))["you"]["role"] == "owner"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token ", "Bearer {token}", "Token {token}x"])
@pytest.mark.parametrize("with_origin", [False, True])
async def test_a_bad_token_is_refused(sqlite_server, signed_in, peers, header, with_origin):
    board, _ = signed_in
    authorization = header.format(token=board["owner"].token)
    origin = sqlite_server.origin if with_origin else None
    url = sqlite_server.ws_url(board.id)
    assert await refused(peers, url, headers={"Authorization": authorization}, origin=origin) == 403


async def test_a_bad_token_is_not_rescued_by_a_valid_session(sqlite_server, signed_in, peers):
    """The token header, when present, is the only credential looked at: no falling back to the cookie."""
    board, cookie = signed_in
    headers = {"Authorization": "Token not-a-real-token", "Cookie": cookie}
    assert await refused(peers, sqlite_server.ws_url(board.id), headers=headers, origin=sqlite_server.origin) == 403
