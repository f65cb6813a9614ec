"""The socket's refusals, said in REST terms.

`annotation_apply` refuses with the socket's paths (`ops[0].annotation.text`),
but a REST caller sent a body and a URL. Paths are cut down to the body field,
and an annotation or reply named in the URL that does not exist, or that the
caller may not see, is 404 not_found with one fixed message: the answer for a
private id must be byte-for-byte the answer for an id nobody ever used.
"""

from __future__ import annotations

from whiteboard.errors import ErrorCode, SyncError

OP = "ops[0]"
ANNOTATION_REF = f"{OP}.annotation"  # the annotation an op names: in REST, the {aid} of the URL
REPLY_REF = f"{OP}.reply"  # the reply an edit names: the {rid} of the URL


def annotation_not_found() -> SyncError:
    return SyncError(ErrorCode.NOT_FOUND, "No annotation with this id on this board.")


def reply_not_found() -> SyncError:
    return SyncError(ErrorCode.NOT_FOUND, "No reply with this id in this thread.")


def _body_path(path: str | None) -> str | None:
    """`ops[0].annotation.text` -> `text`; an error about the op as a whole -> no path."""
    if path is None or not path.startswith(f"{OP}."):
        return None
    return path.rsplit(".", 1)[-1]


def as_rest(error: SyncError) -> SyncError:
    # Only a missing or malformed reference is reported at these paths (refusals
    # by role name the op), so either way the URL names nothing there.
    if error.path == ANNOTATION_REF:
        return annotation_not_found()
    if error.path == REPLY_REF:
        return reply_not_found()
    return SyncError(error.code, error.message, _body_path(error.path))
