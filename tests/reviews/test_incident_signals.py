"""Incident signals (reviews/incident.py, `signals`) on two scripted investigations, expected values by hand.

The board is the shop of test_incident.py with a slow orders database; users meet the symptom.
Both logs are built the way the server stores them: each inspect carries the simulator's result.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reviews import incident
from tests.reviews.test_incident import OPENED, SHOP

FAULT = incident.Fault("db", "slow")
ROLES = {"i": "interviewer", "c": "candidate"}
SIM = incident.Board.build(SHOP, incident.Incident("board-1", FAULT, OPENED))


def log(*moves: dict[str, Any]) -> list[dict[str, Any]]:
    """Seq 9 opens the incident at OPENED; move k is seq 10 + k, one minute later each, by the candidate."""
    batches = [
        {
            "seq": 9,
            "participant": "i",
            "at": OPENED,
            "ops": [{"op": "incident", "action": "open", "symptom": "Checkout is slow", "entry": "users"}],
        }
    ]
    for k, op in enumerate(moves):
        if op["op"] == "inspect":
            op = {**op, "minute": k, "result": SIM.observe(op["target"], op["signal"], k)}
        batches.append({"seq": 10 + k, "participant": "c", "at": OPENED + timedelta(minutes=k), "ops": [op]})
    return batches


def inspect(target: str, signal: str = "metrics") -> dict[str, Any]:
    return {"op": "inspect", "target": target, "signal": signal}


def act(target: str, action: str) -> dict[str, Any]:
    return {"op": "act", "target": target, "action": action, "result": {"effect": "none", "text": ""}}


def guess(suspect: str, radius: list[str]) -> dict[str, Any]:
    return {"op": "hypothesis", "id": "h", "suspect": suspect, "blast_radius": radius, "text": "because"}


def el(seq: int, target: str) -> dict[str, Any]:
    return {"type": "element", "id": target, "seq": seq}


def test_a_systematic_investigation() -> None:
    # Observes the symptom's entry point, follows the abnormal dependencies down, names the root cause, then acts.
    values, evidence = incident.signals(
        log(
            inspect("users"),
            inspect("lb"),
            inspect("api1", "logs"),
            inspect("db"),
            guess("db", ["db", "api1", "api2", "lb", "users"]),
            act("db", "scale_up"),
        ),
        ROLES,
        FAULT,
        SHOP,
    )
    assert values == {
        "observations_before_first_action": 4,
        "first_move": "observe",
        "changed_code_before_evidence": False,
        "inspected": ["users", "lb", "api1", "db"],
        "systematic_share": 1.0,
        "root_cause_found": True,
        "seconds_to_root_cause": 240.0,
        "blast_radius": {"precision": 1.0, "recall": 1.0},
        "harmful_actions": 0,
    }
    assert evidence["incident.first_move"] == [el(10, "users")]
    assert evidence["incident.systematic_share"] == [el(10, "users"), el(11, "lb"), el(12, "api1"), el(13, "db")]
    assert evidence["incident.seconds_to_root_cause"] == [{"type": "seq", "seq": 9}, el(14, "db")]
    assert evidence["incident.blast_radius"] == [{"type": "seq", "seq": 14}]
    assert evidence["incident.harmful_actions"] == []


def test_a_guessing_investigation() -> None:
    # Changes code first, restarts healthy components, looks far from the symptom, blames the wrong service.
    values, evidence = incident.signals(
        log(
            act("api2", "change_code"),
            act("search", "restart"),
            inspect("mail", "logs"),
            act("cache", "restart"),
            inspect("api1"),
            guess("api1", ["api1", "search", "mail"]),
        ),
        ROLES,
        FAULT,
        SHOP,
    )
    assert values == {
        "observations_before_first_action": 0,
        "first_move": "act",
        "changed_code_before_evidence": True,
        "inspected": ["mail", "api1"],
        "systematic_share": 0.0,
        "root_cause_found": False,
        "seconds_to_root_cause": None,
        # The truth is db, api1, api2, lb, users: one of three named is in it, one of five in it was named.
        "blast_radius": {"precision": 0.333, "recall": 0.2},
        # api2 is slow too (it waits on the database): acting on it is useless, not harmful.
        "harmful_actions": 2,
    }
    assert evidence["incident.changed_code_before_evidence"] == [el(10, "api2")]
    assert evidence["incident.harmful_actions"] == [el(11, "search"), el(13, "cache")]
    assert evidence["incident.root_cause_found"] == []


def test_only_the_last_incident_and_the_candidate_count() -> None:
    batches = log(inspect("users"))
    batches.append({"seq": 20, "participant": "i", "at": OPENED, "ops": [inspect("db")]})
    values, _ = incident.signals(batches, ROLES, FAULT, SHOP)
    assert values["inspected"] == ["users"]
    reopened = [*batches, {**batches[0], "seq": 21}]
    values, _ = incident.signals(reopened, ROLES, FAULT, SHOP)
    assert values["inspected"] == [] and values["first_move"] is None and values["systematic_share"] is None
