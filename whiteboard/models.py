"""Boards, their participants and invites, the op log and the state it folds to.

Models hold data and single-row invariants; every write that spans rows goes
through `whiteboard.services`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Mode(models.TextChoices):
    INTERVIEW = "interview"
    REVIEW = "review"
    PRACTICE = "practice"


class Role(models.TextChoices):
    OWNER = "owner"
    INTERVIEWER = "interviewer"
    CANDIDATE = "candidate"
    REVIEWER = "reviewer"
    OBSERVER = "observer"
    COACH = "coach"


class Stream(models.TextChoices):
    """Each stream has its own gapless seq, so a participant who may not see
    one stream (the interviewers' private layer) sees no holes in the other."""

    PUBLIC = "public"
    PRIVATE = "private"


class Board(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    prompt = models.TextField(blank=True, default="")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.INTERVIEW)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_boards")
    seq = models.PositiveBigIntegerField(default=0, help_text="Seq of the last batch on the public stream.")
    private_seq = models.PositiveBigIntegerField(default=0, help_text="Seq of the last batch on the private stream.")
    element_count = models.PositiveIntegerField(default=0)
    question_type = models.CharField(
        max_length=16,
        default="design",
        help_text="design, walkthrough or incident (vocabulary.json questions.types); incident boards run the drill.",
    )
    closed = models.BooleanField(
        default=False, help_text="Only its owner and interviewers may change a closed board (an ended interview)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """Someone on a board: a registered user, or a guest who joined by invite link."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="participations"
    )
    name = models.CharField(max_length=80)
    role = models.CharField(max_length=16, choices=Role.choices)
    invite = models.ForeignKey("Invite", null=True, blank=True, on_delete=models.SET_NULL, related_name="participants")
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "user"], condition=models.Q(user__isnull=False), name="one_participant_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class Invite(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="invites")
    role = models.CharField(max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.role} invite to {self.board_id}"


class Element(models.Model):
    """One live element of a board: the materialised fold of the op log.

    `source` and `target` duplicate the arrow's endpoints out of `data` so the
    arrows touching a deleted component are found by index, not by scan; `frame`
    does the same for a box's frame, so deleting a frame finds its members.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="elements")
    element_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16)
    source = models.CharField(max_length=64, blank=True, default="")
    target = models.CharField(max_length=64, blank=True, default="")
    frame = models.CharField(max_length=64, blank=True, default="")
    data = models.JSONField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["board", "element_id"], name="unique_element_per_board")]
        indexes = [
            models.Index(fields=["board", "source"], name="element_source"),
            models.Index(fields=["board", "target"], name="element_target"),
            models.Index(fields=["board", "frame"], name="element_frame"),
        ]

    def __str__(self) -> str:
        return self.element_id


class Batch(models.Model):
    """One accepted batch: the op log, never truncated, the source of truth for replay."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="batches")
    stream = models.CharField(max_length=16, choices=Stream.choices, default=Stream.PUBLIC)
    seq = models.PositiveBigIntegerField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="batches")
    client_id = models.CharField(max_length=64, help_text="The client's batch id, for idempotent resends.")
    client_digest = models.CharField(max_length=64, help_text="Hash of the ops as the client sent them.")
    ops = models.JSONField()
    # Set by batch_submit before the ops are checked, so time-based state (the
    # interview clock) is computed from the very timestamp the batch carries.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["board", "stream", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["board", "stream", "seq"], name="unique_seq_per_stream"),
            models.UniqueConstraint(fields=["board", "participant", "client_id"], name="unique_client_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.stream}:{self.seq}"


class Connection(models.Model):
    """A live socket, so every process can tell who is on a board right now.

    Rows are refreshed by the process holding the socket and count as gone once
    stale, so a crashed process cannot leave people 'online' for ever.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="connections")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="connections")
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at"]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.board_id}"
