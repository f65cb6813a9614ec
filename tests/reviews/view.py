"""A client's view of a board's annotations, built only from what its socket received.

It follows the client rules of docs/protocol.md ("Annotations"), not
`reviews.annotations.fold`: comparing it with the rows the server stores then
checks the server's log and fan-out, not the same code against itself.
"""

from __future__ import annotations

import copy
from typing import Any

NAMES = frozenset({"annotate", "reply", "set_status", "edit_text", "delete_annotation"})


class View:
    def __init__(self) -> None:
        self.annotations: dict[str, dict[str, Any]] = {}
        self.seqs: dict[str, int] = {}

    def join(self, frame: dict[str, Any]) -> None:
        """A `welcome` replaces the view; a `catchup` applies the batches it carries, private ones first."""
        if frame["type"] == "welcome":
            self.annotations = {a["id"]: copy.deepcopy(a) for a in frame["annotations"]}
            self.seqs = {"public": frame["seq"]}
            if "private_seq" in frame:
                self.seqs["private"] = frame["private_seq"]
            return
        assert frame["type"] == "catchup", frame
        for batch in frame.get("private_batches", []):
            self.apply(batch)
        for batch in frame["batches"]:
            self.apply(batch)
        assert self.seqs["public"] == frame["seq"], "catchup seq is not the last of its batches"
        if "private_seq" in frame:
            assert self.seqs.get("private") == frame["private_seq"], "catchup private_seq is not the last private batch"

    def apply(self, batch: dict[str, Any]) -> None:
        stream = batch["stream"]
        expected = self.seqs.get(stream, 0) + 1
        assert batch["seq"] == expected, f"{stream} batch {batch['seq']} arrived after {expected - 1}: a gap or reorder"
        self.seqs[stream] = batch["seq"]
        at, author = batch["at"], batch["participant"]
        for op in batch["ops"]:
            name = op["op"]
            if name not in NAMES:
                continue
            if name == "annotate":
                assert op["annotation"]["id"] not in self.annotations, f"annotate of an existing thread: {op}"
                self.annotations[op["annotation"]["id"]] = {
                    "version": None,  # only a review comment names the version it was written on
                    **op["annotation"],
                    "author": author,
                    "status": "open",
                    "answered_seq": None,
                    "created_at": at,
                    "updated_at": at,
                    "replies": [],
                }
                continue
            thread = self.annotations.get(op["annotation"])
            assert thread is not None, f"{name} on a thread this client does not have: {op}"
            if name == "delete_annotation":
                del self.annotations[op["annotation"]]
                continue
            thread["updated_at"] = at
            if name == "reply":
                new = {**op["reply"], "author": author, "created_at": at, "edited_at": None}
                thread["replies"].append(new)
                if op["status"] == "answered" and thread["status"] != "answered":
                    thread["answered_seq"] = op["reply"]["seq"]
                thread["status"] = op["status"]
            elif name == "set_status":
                thread["status"] = op["status"]
            elif "reply" in op:
                found = [r for r in thread["replies"] if r["id"] == op["reply"]]
                assert found, f"edit of a reply this client does not have: {op}"
                found[0].update(text=op["text"], edited_at=at)
            else:
                thread["text"] = op["text"]


def by_id(annotations: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in annotations}
