"""Annotation ops as a client sends them."""

from __future__ import annotations

from typing import Any


def annotate(
    annotation_id: str,
    target: str | None = "api",
    *,
    layer: str = "challenges",
    kind: str = "failure_mode",
    text: str = "",
) -> dict[str, Any]:
    text = text or f"What happens when {target or 'the system'} goes down?"
    annotation = {"id": annotation_id, "layer": layer, "target": target, "kind": kind, "text": text}
    return {"op": "annotate", "annotation": annotation}


def reply(annotation_id: str, reply_id: str, text: str = "Requests queue up and retry.") -> dict[str, Any]:
    return {"op": "reply", "annotation": annotation_id, "reply": {"id": reply_id, "text": text}}


def set_status(annotation_id: str, status: str) -> dict[str, Any]:
    return {"op": "set_status", "annotation": annotation_id, "status": status}


def edit_text(annotation_id: str, text: str, reply_id: str | None = None) -> dict[str, Any]:
    op = {"op": "edit_text", "annotation": annotation_id, "text": text}
    return op if reply_id is None else {**op, "reply": reply_id}


def delete_annotation(annotation_id: str) -> dict[str, Any]:
    return {"op": "delete_annotation", "annotation": annotation_id}
