"""Annotations (with their replies) on a board: the materialised fold of the annotation ops in the op log.

Like `whiteboard.Element`, these rows are state kept so a joining client costs
O(annotations), never O(history); the batches remain the source of truth.
"""

from __future__ import annotations

from django.db import models

from whiteboard.models import Board, Participant


class Layer(models.TextChoices):
    CHALLENGES = "challenges"
    NOTES = "notes"
    PRIVATE = "private"


class Kind(models.TextChoices):
    FAILURE_MODE = "failure_mode", "failure mode?"
    TRADE_OFF = "trade_off", "trade-off?"
    SCALING = "scaling", "scaling?"
    CLARIFY = "clarify", "clarify?"
    SECURITY = "security", "security?"
    COMMENT = "comment", "comment"


class Status(models.TextChoices):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    REOPENED = "reopened"


class Annotation(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="annotations")
    annotation_id = models.CharField(max_length=64)
    layer = models.CharField(max_length=16, choices=Layer.choices)
    target = models.CharField(max_length=64, blank=True, default="", help_text="Element id; empty for the board.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="annotations")
    prompted = models.BooleanField(help_text="Raised as a challenge, rather than written unasked.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    snapshot = models.JSONField(null=True, help_text="The target's meaning when raised; a change makes it outdated.")
    raised_seq = models.PositiveBigIntegerField()
    answered_seq = models.PositiveBigIntegerField(null=True)
    version = models.PositiveIntegerField(null=True, help_text="The version it was written on (a review comment).")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "annotation_id"], name="unique_annotation_per_board")]
        indexes = [models.Index(fields=["board", "target"], name="annotation_target")]

    def __str__(self) -> str:
        return f"{self.annotation_id} ({self.kind} on {self.target or 'board'})"


class Reply(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="replies")
    reply_id = models.CharField(max_length=64)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField()
    seq = models.PositiveBigIntegerField(help_text="The public seq of the canvas the reply was made against.")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["annotation", "reply_id"], name="unique_reply_per_annotation")]

    def __str__(self) -> str:
        return f"{self.annotation_id}/{self.reply_id}"


class Phase(models.TextChoices):
    REQUIREMENTS = "requirements"
    HIGH_LEVEL = "high_level"
    DEEP_DIVE = "deep_dive"
    WRAP_UP = "wrap_up"


class InterviewSession(models.Model):
    """The clock and phase of an interview board: the fold of its session and phase ops."""

    class Status(models.TextChoices):
        IDLE = "idle"
        RUNNING = "running"
        PAUSED = "paused"
        ENDED = "ended"

    board = models.OneToOneField(Board, on_delete=models.CASCADE, related_name="interview_session")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IDLE)
    minutes = models.PositiveIntegerField(default=45)
    elapsed = models.FloatField(default=0, help_text="Seconds used before `running_since`.")
    running_since = models.DateTimeField(null=True)
    phase = models.CharField(max_length=16, choices=Phase.choices, blank=True, default="")
    phases = models.JSONField(default=list, help_text="Every phase change: phase, at, seq.")
    started_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.board_id}: {self.status}"


class LedgerEntry(models.Model):
    """One entry of an interview's ledger: a clarifying question, an assumption or a constraint, or (a
    walkthrough) a decision, an outcome or hindsight; or something the candidate does not know."""

    class Kind(models.TextChoices):
        QUESTION = "question"
        ASSUMPTION = "assumption"
        CONSTRAINT = "constraint"
        DECISION = "decision"
        OUTCOME = "outcome"
        HINDSIGHT = "hindsight"
        UNKNOWN = "unknown"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="ledger_entries")
    entry_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    links = models.JSONField(default=list, help_text="Ids of the elements that depend on this entry.")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ledger_entries")
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    answer = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(Participant, null=True, on_delete=models.SET_NULL, related_name="ledger_answers")
    answered_seq = models.PositiveBigIntegerField(null=True)
    answered_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["seq", "id"]
        constraints = [models.UniqueConstraint(fields=["board", "entry_id"], name="unique_requirement_per_board")]

    def __str__(self) -> str:
        return f"{self.entry_id} ({self.kind})"


class Scorecard(models.Model):
    """One interviewer's private evaluation of the candidate; never sent to a candidate."""

    class Hire(models.TextChoices):
        STRONG_NO = "strong_no"
        NO = "no"
        YES = "yes"
        STRONG_YES = "strong_yes"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="scorecards")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scorecards")
    dimensions = models.JSONField(default=dict, help_text="Per dimension: rating 1-4, notes, evidence links.")
    hire = models.CharField(max_length=16, choices=Hire.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, help_text="Empty while a draft; others' cards show once set.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["board", "author"], name="one_scorecard_per_interviewer")]

    def __str__(self) -> str:
        return f"scorecard by {self.author_id} on {self.board_id}"


class Version(models.Model):
    """A published, immutable version of a board: its canvas pinned at a seq, with a name and a note."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1, 2, 3… per board, in publishing order.")
    name = models.CharField(max_length=200)
    note = models.TextField(blank=True, default="")
    seq = models.PositiveBigIntegerField(help_text="The public seq the version pins.")
    elements = models.JSONField(help_text="The canvas at `seq`, kept so diffs cost O(elements).")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="versions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "number"]
        constraints = [models.UniqueConstraint(fields=["board", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"v{self.number} {self.name}"


class Review(models.Model):
    """One reviewer's review of one version, like a pull-request review: requested, drafted, submitted."""

    class Verdict(models.TextChoices):
        COMMENT = "comment"
        APPROVE = "approve"
        REQUEST_CHANGES = "request_changes"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reviews")
    requested_by = models.ForeignKey(
        Participant, null=True, on_delete=models.SET_NULL, related_name="requested_reviews"
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True)
    submitted_seq = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "reviewer"], name="one_review_per_version")]

    def __str__(self) -> str:
        return f"review of v{self.version_id} by {self.reviewer_id}: {self.verdict or 'pending'}"


class PendingComment(models.Model):
    """A reviewer's challenge drafted but not submitted yet: visible to them alone.

    Kept out of the op log on purpose: nobody else may receive a byte of it
    until the reviewer submits their review, when all of their drafts become
    annotations at once. It remembers the version it was written on, so the
    annotation is judged against what the reviewer read.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="pending_comments")
    reviewer = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="pending_comments")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="pending_comments")
    annotation_id = models.CharField(max_length=64)
    target = models.CharField(max_length=64, blank=True, default="")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        # The draft id is the reviewer's own (issue 19, defect 4): unique among their drafts, never
        # checked against anyone else's, so nobody can block or probe it. `review_submit` publishes it.
        constraints = [
            models.UniqueConstraint(fields=["board", "reviewer", "annotation_id"], name="unique_pending_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"pending {self.annotation_id}"


class ReplayCheckpoint(models.Model):
    """The replay fold of a board right after public batch `seq` (a multiple of
    `reviews.replay_queries.CHECKPOINT_EVERY`), private layer included.

    Derived and never the source of truth: written the first time a replay
    folds past `seq`, never changed (the log is append-only, and every batch a
    checkpoint folds was committed before public batch `seq`), deleted and
    rebuilt from the log by `manage.py rebuild_replay_checkpoints`. A replay
    starts from the nearest one at or before the seq it wants, so its cost is
    O(CHECKPOINT_EVERY + elements), not O(history).
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="replay_checkpoints")
    seq = models.PositiveBigIntegerField()
    state = models.JSONField(help_text="reviews.replay.snapshot_dict of the fold")

    class Meta:
        ordering = ["board", "seq"]
        constraints = [models.UniqueConstraint(fields=["board", "seq"], name="one_checkpoint_per_seq")]

    def __str__(self) -> str:
        return f"{self.board_id}@{self.seq}"


# Django finds an app's models in its `models` module.
from reviews.decision_models import Decision  # noqa: E402, F401
from reviews.flow_models import Flow  # noqa: E402, F401
from reviews.incident_models import IncidentState  # noqa: E402, F401
from reviews.question_models import BoardQuestion, Question, QuestionVersion  # noqa: E402, F401
from reviews.scenario_models import ScenarioCard  # noqa: E402, F401
