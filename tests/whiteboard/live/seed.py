"""Create a board and its members on a live server's database; run by `servers.seed` in a subprocess.

Reads {"roles": {name: role}, "password": str, "prefix": str} on stdin and
prints {"board": id, "members": {name: {username, token, participant}}}.
"""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    spec = json.load(sys.stdin)
    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from whiteboard.models import Participant
    from whiteboard.services.boards import board_create
    from whiteboard.services.participants import participant_add

    roles: dict[str, str] = spec["roles"]
    users = {
        name: get_user_model().objects.create_user(f"{spec['prefix']}-{name}", password=spec["password"] or None)
        for name in roles
    }
    owner = next(name for name, role in roles.items() if role == "owner")
    board = board_create(
        owner=users[owner], title="Live test board", prompt="Design a URL shortener.", mode="interview"
    )
    members = {}
    for name, user in users.items():
        if name == owner:
            participant = Participant.objects.get(board=board, user=user)
        else:
            participant = participant_add(board=board, role=roles[name], user=user)
        token = Token.objects.create(user=user).key
        members[name] = {"username": user.get_username(), "token": token, "participant": str(participant.id)}
    print(json.dumps({"board": str(board.id), "members": members}))


if __name__ == "__main__":
    main()
