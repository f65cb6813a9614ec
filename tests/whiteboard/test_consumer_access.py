"""Who may open a board socket, and what closes it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient

from tests.factories import UserFactory, add, batch
from whiteboard.models import Invite
from whiteboard.services.invites import invite_create

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(http: HttpClient) -> str:
    return f"sessionid={http.cookies['sessionid'].value}"


def logged_in(user) -> str:
    http = HttpClient()
    http.force_login(user)
    return session_cookie(http)


def joined_by_invite(room, role: str, name: str = "Casey") -> tuple[str, Invite]:
    invite, token = invite_create(board=room.board, by=room.owner.participant, role=role)
    http = HttpClient()
    response = http.post(f"/join/{token}", {"name": name})
    assert response.status_code == 302
    return session_cookie(http), invite


async def test_no_credentials_no_socket(room, connect):
    await connect(room.board.id, None, expect=False)


async def test_a_bad_token_is_refused(room, connect):
    room.owner.token = "not-a-real-token"
    await connect(room.board.id, room.owner, expect=False)


async def test_the_token_of_a_deactivated_account_is_refused(room, connect):
    room.owner.user.is_active = False
    await database_sync_to_async(room.owner.user.save)()
    await connect(room.board.id, room.owner, expect=False)


async def test_a_user_who_is_not_on_the_board_is_refused(room, connect):
    stranger = await database_sync_to_async(UserFactory)()
    cookie = await database_sync_to_async(logged_in)(stranger)
    await connect(room.board.id, None, cookie=cookie, expect=False)


async def test_an_unknown_board_is_refused(room, connect):
    await connect("00000000-0000-0000-0000-000000000000", room.owner, expect=False)


async def test_a_browser_session_from_our_origin_is_accepted(room, connect):
    cookie = await database_sync_to_async(logged_in)(room.interviewer.user)
    client = await connect(room.board.id, None, cookie=cookie)
    assert (await client.recv_type("welcome"))["you"]["role"] == "interviewer"


@pytest.mark.parametrize("origin", [b"https://evil.example", b"null", None, b"http://127.0.0.1.evil.example"])
async def test_a_session_cookie_from_another_origin_is_refused(room, connect, origin):
    cookie = await database_sync_to_async(logged_in)(room.interviewer.user)
    await connect(room.board.id, None, cookie=cookie, origin=origin, expect=False)


async def test_a_script_with_a_token_needs_no_origin(room, connect):
    client = await connect(room.board.id, room.candidate, origin=None)
    assert (await client.recv_type("welcome"))["you"]["role"] == "candidate"


async def test_an_invited_guest_joins_with_the_invites_role(room, connect):
    cookie, _ = await database_sync_to_async(joined_by_invite)(room, "candidate", "Casey")
    client = await connect(room.board.id, None, cookie=cookie)
    you = (await client.recv_type("welcome"))["you"]
    assert (you["role"], you["name"]) == ("candidate", "Casey")
    await client.send(batch("b1", add("api")))
    assert (await client.recv_type("batch"))["participant"] == you["participant"]


async def test_revoking_an_invite_closes_its_guests_sockets_with_4403(room, connect):
    cookie, invite = await database_sync_to_async(joined_by_invite)(room, "candidate")
    guest = await connect(room.board.id, None, cookie=cookie)
    owner = await connect(room.board.id, room.owner)
    await guest.recv_type("welcome")
    await owner.recv_type("welcome")

    http = HttpClient()
    await database_sync_to_async(http.force_login)(room.owner.user)
    response = await database_sync_to_async(http.delete)(f"/api/boards/{room.board.id}/invites/{invite.id}/")
    assert response.status_code == 204

    assert await guest.closed() == 4403
    await connect(room.board.id, None, cookie=cookie, expect=False)
    await owner.send(batch("b1", add("api")))
    assert (await owner.recv_type("batch"))["seq"] == 1


async def test_deleting_the_board_closes_every_socket_with_4404(room, connect):
    owner = await connect(room.board.id, room.owner)
    candidate = await connect(room.board.id, room.candidate)
    await owner.recv_type("welcome")
    await candidate.recv_type("welcome")
    http = HttpClient()
    await database_sync_to_async(http.force_login)(room.owner.user)
    response = await database_sync_to_async(http.delete)(f"/api/boards/{room.board.id}/")
    assert response.status_code == 204
    assert await candidate.closed() == 4404
    assert await owner.closed() == 4404


async def test_renaming_the_board_reaches_live_sockets(room, connect):
    candidate = await connect(room.board.id, room.candidate)
    await candidate.recv_type("welcome")
    http = HttpClient()
    await database_sync_to_async(http.force_login)(room.interviewer.user)
    response = await database_sync_to_async(http.patch)(
        f"/api/boards/{room.board.id}/", {"title": "Design a rate limiter"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (await candidate.recv_type("board"))["board"]["title"] == "Design a rate limiter"


async def test_a_bogus_session_cookie_is_refused(room, connect):
    await connect(room.board.id, None, cookie="sessionid=not-a-session", expect=False)
