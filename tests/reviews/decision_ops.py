"""Decision ops as a client would send them: what the decision tests share."""

from __future__ import annotations

from typing import Any


def decision(decision_id: str = "d1", target: str = "api", **fields: Any) -> dict[str, Any]:
    """A decision record on `target`; override or add any field."""
    return {
        "id": decision_id,
        "target": target,
        "choice": "Kafka",
        "alternatives": ["SQS", "RabbitMQ"],
        "cost": "more to operate",
        "why": "replay and throughput",
        "revisit_when": "if we never need replay",
        **fields,
    }


def decide(decision_id: str = "d1", target: str = "api", **fields: Any) -> dict[str, Any]:
    return {"op": "decide", "decision": decision(decision_id, target, **fields)}


def delete_decision(decision_id: str = "d1") -> dict[str, Any]:
    return {"op": "delete_decision", "id": decision_id}
