"""Accept a batch: validate it against the sender's role and the board, then
store it with the next seq and update the materialised elements, all in one
transaction. Acknowledged means durable: the batch announces itself to the
board's sockets only once that transaction (or the caller's, around it) commits.

This is the one place that decides a batch's stream and seq; op kinds
(`whiteboard.extensions`) are handed both in their `Context`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from whiteboard import broadcast, extensions, ops, roles
from whiteboard.errors import ErrorCode, SyncError
from whiteboard.models import Batch, Board, Element, Participant, Stream
from whiteboard.selectors import batch_message


@dataclass(frozen=True)
class Committed:
    message: dict[str, Any]
    seq: int
    stream: str
    duplicate: bool


def _digest(raw_ops: Any) -> str:
    return hashlib.sha256(json.dumps(raw_ops, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _load_elements(board: Board, ids: set[str]) -> dict[str, ops.Element]:
    """The elements a batch names, plus the arrows touching them and a frame's members (for delete cascades).

    A UNION ALL of four index lookups: the same filter written with OR makes
    SQLite scan every element of the board, and the cost of a batch must not
    grow with the board. Written as SQL because composing the ORM's union cost
    about 1 ms of CPU per batch, as much as running it.
    """
    if not ids:
        return {}
    qn = connection.ops.quote_name
    table = qn(Element._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    key = Board._meta.pk.get_db_prep_value(board.pk, connection)
    names = sorted(ids)
    parts = [
        f"SELECT {qn('element_id')}, {qn('data')} FROM {table}"
        f" WHERE {qn('board_id')} = %s AND {qn(column)} IN ({marks})"
        for column in ("element_id", "source", "target", "frame")
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [key, *names] * len(parts))
        rows = cursor.fetchall()
    return {element_id: json.loads(data) if isinstance(data, str) else data for element_id, data in rows}


def _write_elements(board: Board, applied: ops.Applied) -> None:
    """Delete and upsert the batch's elements: one statement each.

    The upsert is one multi-row `INSERT … ON CONFLICT` (PostgreSQL and SQLite both have it):
    building a model instance per row for `bulk_create` was half of a 500-op batch's CPU (37 ms
    on the development VM), time every other batch of the process waited for (issue 19).
    """
    if applied.deleted:
        Element.objects.filter(board=board, element_id__in=applied.deleted).delete()
    if not applied.changed:
        return
    qn = connection.ops.quote_name
    columns = ("board_id", "element_id", "kind", "source", "target", "frame", "data")
    key = Board._meta.pk.get_db_prep_value(board.pk, connection)
    data = Element._meta.get_field("data")
    rows = [
        (
            key,
            element["id"],
            element["kind"],
            element.get("source", ""),
            element.get("target", ""),
            element.get("frame", ""),
            data.get_db_prep_save(element, connection),
        )
        for element in applied.changed.values()
    ]
    head = f"INSERT INTO {qn(Element._meta.db_table)} ({', '.join(map(qn, columns))}) VALUES "
    upsert = f" ON CONFLICT ({qn('board_id')}, {qn('element_id')}) DO UPDATE SET " + ", ".join(
        f"{qn(c)} = excluded.{qn(c)}" for c in columns[2:]
    )
    row = f"({', '.join(['%s'] * len(columns))})"
    step = connection.ops.bulk_batch_size(columns, rows) or len(rows)  # the backend's cap on parameters
    with connection.cursor() as cursor:
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            cursor.execute(head + ", ".join([row] * len(chunk)) + upsert, [value for r in chunk for value in r])


def _element_lookup(board: Board, applied: ops.Applied) -> Callable[[str], ops.Element | None]:
    """The board after the batch's canvas ops, for op kinds that point at elements."""

    def element(element_id: str) -> ops.Element | None:
        if element_id in applied.changed:
            return applied.changed[element_id]
        if element_id in applied.deleted:
            return None
        row = Element.objects.filter(board=board, element_id=element_id).only("data").first()
        return row.data if row is not None else None

    return element


def _private_ops(parsed: list[ops.Op]) -> int:
    """How many of a batch's ops belong to the private stream: each op kind says so from the op alone."""
    return sum(op["op"] not in ops.CANVAS_OPS and extensions.kind_of(op["op"]).is_private(op) for op in parsed)


def _all_elements(board: Board, applied: ops.Applied) -> Callable[[], list[ops.Element]]:
    """Every element of the board after the batch's canvas ops, for an op kind that needs the whole graph."""

    def elements() -> list[ops.Element]:
        rows = Element.objects.filter(board=board).exclude(element_id__in=applied.deleted).only("element_id", "data")
        found = {row.element_id: row.data for row in rows}
        found.update(applied.changed)
        return list(found.values())

    return elements


def _plan_extras(context: extensions.Context, parsed: list[ops.Op]) -> list[extensions.Planned]:
    """Hand each registered op kind the ops it owns, with their index in the batch."""
    groups: dict[int, tuple[extensions.OpKind, list[tuple[int, ops.Op]]]] = {}
    for i, op in enumerate(parsed):
        if op["op"] not in ops.CANVAS_OPS:
            kind = extensions.kind_of(op["op"])
            groups.setdefault(id(kind), (kind, []))[1].append((i, op))
    return [kind.plan(context, indexed) for kind, indexed in groups.values()]


class _Resent(Exception):
    """A batch id already in the log: the transaction (or savepoint) rolls back the seq it took."""

    def __init__(self, committed: Committed) -> None:
        self.committed = committed


_BOARD_FIELDS = list(Board._meta.concrete_fields)


def _claim(
    board_id: UUID, participant_id: UUID, batch_id: str, *, private: bool, now: Any
) -> tuple[Board | None, Participant | None, Any]:
    """Lock the board row and take the stream's next seq in one statement, reading back with it
    the board, the sender's current role (a revocation a moment ago counts) and the id of a
    stored batch with the same client id, if any.

    `UPDATE … RETURNING` (PostgreSQL; SQLite ≥ 3.35): the row lock `SELECT … FOR UPDATE` took,
    the seq bump and the three reads in one round trip. A batch refused later rolls the bump
    back with its transaction or savepoint, so the seq stays gapless.
    """
    board_t, part_t, batch_t = Board._meta.db_table, Participant._meta.db_table, Batch._meta.db_table
    qn = connection.ops.quote_name
    column = "private_seq" if private else "seq"
    sets = [f"{qn(column)} = {qn(column)} + 1"]
    params: list[Any] = []
    if not private:  # a private batch leaves `updated_at` alone: a candidate must not see the board move
        sets.append(f"{qn('updated_at')} = %s")
        params.append(Board._meta.get_field("updated_at").get_db_prep_value(now, connection))
    board_key = Board._meta.get_field("id").get_db_prep_value(board_id, connection)
    participant_key = Participant._meta.get_field("id").get_db_prep_value(participant_id, connection)
    returning = ", ".join(qn(str(f.column)) for f in _BOARD_FIELDS)
    sql = (
        f"UPDATE {qn(board_t)} SET {', '.join(sets)} WHERE {qn('id')} = %s RETURNING {returning}, "
        f"(SELECT {qn('role')} FROM {qn(part_t)} WHERE {qn('id')} = %s AND {qn('board_id')} = %s"
        f" AND {qn('revoked_at')} IS NULL), "
        f"(SELECT {qn('id')} FROM {qn(batch_t)} WHERE {qn('board_id')} = %s AND {qn('participant_id')} = %s"
        f" AND {qn('client_id')} = %s)"
    )
    params += [board_key, participant_key, board_key, board_key, participant_key, batch_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None, None, None
    values = [_from_db(field, value) for field, value in zip(_BOARD_FIELDS, row, strict=False)]
    board = Board.from_db(connection.alias, [f.attname for f in _BOARD_FIELDS], values)
    role, previous = row[len(_BOARD_FIELDS)], row[len(_BOARD_FIELDS) + 1]
    participant = None
    if role is not None:
        # The fields the batch path reads; any other is loaded on first access (a deferred field).
        participant = Participant.from_db(
            connection.alias, ["id", "board_id", "role"], [UUID(str(participant_id)), board.id, role]
        )
    return board, participant, previous


def _from_db(field: Any, value: Any) -> Any:
    """A raw column value as the ORM would have given it."""
    expression = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = convert(value, expression, connection)
    return value


def _store(
    board_id: UUID, participant_id: UUID, batch_id: str, parsed: list[ops.Op], digest: str, at: datetime | None = None
) -> Committed:
    """Check and write one batch inside the caller's transaction or savepoint."""
    now = at or timezone.now()
    # Any private op makes the batch private; one that mixes streams is refused below.
    private_ops = _private_ops(parsed)
    private = private_ops > 0
    board, participant, previous = _claim(board_id, participant_id, batch_id, private=private, now=now)
    if board is None:
        raise SyncError(ErrorCode.NOT_FOUND, "This board no longer exists.")
    if participant is None:
        raise SyncError(ErrorCode.FORBIDDEN, "You are no longer a participant of this board.")
    if previous is not None:
        stored = Batch.objects.get(pk=previous)
        if stored.client_digest != digest:
            raise SyncError(ErrorCode.BATCH_CONFLICT, "This batch id was already used for different ops.", "id")
        raise _Resent(Committed(message=batch_message(stored), seq=stored.seq, stream=stored.stream, duplicate=True))
    stream = Stream.PRIVATE if private else Stream.PUBLIC
    seq = board.private_seq if private else board.seq
    # Op kinds see the heads from before this batch, as with the row read by `SELECT … FOR UPDATE`.
    if private:
        board.private_seq -= 1
    else:
        board.seq -= 1
    canvas = [i for i, op in enumerate(parsed) if op["op"] in ops.CANVAS_OPS]
    if not roles.can_write(participant.role):
        raise SyncError(ErrorCode.FORBIDDEN, "An observer can watch the board but not change it.")
    if canvas and not roles.can_edit_canvas(participant.role):
        raise SyncError(ErrorCode.FORBIDDEN, f"A {participant.role} cannot change the canvas.", f"ops[{canvas[0]}]")
    if board.closed and not roles.can_write_closed(participant.role):
        raise SyncError(ErrorCode.FORBIDDEN, "This board is closed: the session has ended.")
    applied = ops.apply_ops(_load_elements(board, ops.referenced_ids(parsed)), board.element_count, parsed)
    context = extensions.Context(
        board=board,
        participant=participant,
        element=_element_lookup(board, applied),
        now=now,
        stream=stream,
        seq=seq,
        canvas_seq=board.seq if private else seq,
        elements=_all_elements(board, applied),
    )
    planned = _plan_extras(context, parsed)
    # After planning, so each op's own errors come first: a private batch holds private ops only.
    if private_ops not in (0, len(parsed)):
        raise SyncError(ErrorCode.VALIDATION_ERROR, "Private annotations travel in a batch of their own.", "ops")
    batch = Batch.objects.create(
        board=board,
        stream=stream,
        seq=seq,
        participant=participant,
        client_id=batch_id,
        client_digest=digest,
        ops=applied.ops + [op for plan in planned for op in plan.ops],
        created_at=now,
    )
    _write_elements(board, applied)
    for plan in planned:
        plan.commit(batch)
    if not private and applied.count != board.element_count:
        Board.objects.filter(pk=board.pk).update(element_count=applied.count)
    message = batch_message(batch)
    # robust: the batch is stored whatever happens to its announcement (the hub's heartbeat repairs a lost one).
    transaction.on_commit(partial(broadcast.batch_committed, board.id, message), robust=True)
    return Committed(message=message, seq=seq, stream=stream, duplicate=False)


def batch_submit(
    *, board_id: UUID, participant_id: UUID, batch_id: str, raw_ops: Any, at: datetime | None = None
) -> Committed:
    """Apply a client's batch whole or not at all; a resend of a stored batch returns it unchanged.

    `at` (default: now) is the batch's timestamp; the server's own participants (a practice board's
    coach) pass the moment they decided at, so a replay of the log decides the same.
    """
    parsed = ops.parse_ops(raw_ops, extensions.parsers())
    digest = _digest(raw_ops)
    try:
        with transaction.atomic():
            return _store(board_id, participant_id, batch_id, parsed, digest, at)
    except _Resent as resent:
        return resent.committed


@dataclass(frozen=True)
class Submission:
    """One socket's batch, waiting for the database thread."""

    board_id: UUID
    participant_id: UUID
    batch_id: str
    raw_ops: Any


def batch_submit_group(submissions: list[Submission]) -> list[Committed | Exception]:
    """Commit the batches that queued while the database thread was busy: one transaction, one
    fsync. Each batch is checked and written in a savepoint of its own, so a refused one rolls
    back alone (its seq included) and the others commit. The result for each submission, in
    order: its `Committed`, or the exception that refused it.

    Boards are locked in one order (by id; a board's batches keep their arrival order), so two
    processes committing groups that touch the same boards cannot deadlock. Each stored batch
    registers its announcement with `on_commit` as `batch_submit` does: nobody hears of any batch
    of the group before the whole group is durable, and then of each in commit order, which is
    seq order per board and stream.
    """
    if len(submissions) == 1:  # alone, the transaction is the savepoint: no SAVEPOINT round trips
        (one,) = submissions
        try:
            return [
                batch_submit(
                    board_id=one.board_id, participant_id=one.participant_id, batch_id=one.batch_id, raw_ops=one.raw_ops
                )
            ]
        except Exception as error:
            return [error]
    results: list[Committed | Exception | None] = [None] * len(submissions)
    checked: list[tuple[int, list[ops.Op], str]] = []
    for i, one in enumerate(submissions):
        try:
            checked.append((i, ops.parse_ops(one.raw_ops, extensions.parsers()), _digest(one.raw_ops)))
        except SyncError as error:
            results[i] = error
    checked.sort(key=lambda item: str(submissions[item[0]].board_id))
    with transaction.atomic():
        for i, parsed, digest in checked:
            one = submissions[i]
            try:
                with transaction.atomic():
                    results[i] = _store(one.board_id, one.participant_id, one.batch_id, parsed, digest)
            except _Resent as resent:
                results[i] = resent.committed
            except Exception as error:  # refused (SyncError), or failed alone: its savepoint is rolled back
                results[i] = error
    return results  # type: ignore[return-value]
