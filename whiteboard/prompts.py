"""Interview prompt templates: the question, and an optional starting diagram.

Pure data. The starting diagrams are deliberately thin for most prompts (the
candidate should do the designing); the notification system ships a full
reference design, which is what the demo board and the failure drill use.
"""

from __future__ import annotations

from typing import Any


def _component(element_id: str, kind: str, label: str, x: int, y: int, **extra: Any) -> dict[str, Any]:
    return {"id": element_id, "kind": "component", "type": kind, "label": label, "x": x, "y": y, **extra}


def _arrow(element_id: str, source: str, target: str, label: str = "", style: str = "sync") -> dict[str, Any]:
    return {"id": element_id, "kind": "arrow", "source": source, "target": target, "label": label, "style": style}


def _entry_point(api_label: str = "API") -> list[dict[str, Any]]:
    return [
        _component("client", "client", "Clients", 0, 160),
        _component("api", "service", api_label, 260, 160),
        _arrow("client-api", "client", "api", "HTTPS"),
    ]


NOTIFICATION_SYSTEM = [
    _component("client", "client", "Product services", 0, 200),
    _component("api", "service", "Notification API", 260, 200, replicas=3, tech="Go"),
    _component("prefs", "database", "Preferences DB", 260, 40, tech="PostgreSQL"),
    _component("queue", "queue", "Send queue", 520, 200, tech="Kafka"),
    _component("email", "worker", "Email worker", 780, 80),
    _component("sms", "worker", "SMS worker", 780, 200),
    _component("push", "worker", "Push worker", 780, 320),
    _component("providers", "external", "Email / SMS / push providers", 1040, 200),
    _component("log", "database", "Delivery log", 780, 460, tech="Cassandra"),
    _arrow("client-api", "client", "api", "POST /notify"),
    _arrow("api-prefs", "api", "prefs", "read opt-outs"),
    _arrow("api-queue", "api", "queue", "enqueue", "async"),
    _arrow("queue-email", "queue", "email", "", "async"),
    _arrow("queue-sms", "queue", "sms", "", "async"),
    _arrow("queue-push", "queue", "push", "", "async"),
    _arrow("email-providers", "email", "providers", "SMTP"),
    _arrow("sms-providers", "sms", "providers", "REST"),
    _arrow("push-providers", "push", "providers", "APNs / FCM"),
    _arrow("push-log", "push", "log", "record"),
]

TEMPLATES: list[dict[str, Any]] = [
    {"id": "blank", "title": "Blank board", "prompt": "", "elements": []},
    {
        "id": "notification_system",
        "title": "Design a notification system",
        "prompt": (
            "Design a service that other teams call to notify users by email, SMS and push. "
            "50 million users, bursts of 1 million notifications for a campaign, users can opt out per channel. "
            "45 minutes."
        ),
        "elements": NOTIFICATION_SYSTEM,
    },
    {
        "id": "url_shortener",
        "title": "Design a URL shortener",
        "prompt": (
            "Design a service like bit.ly: create short links, redirect quickly, count clicks. "
            "100 million new links a month, 100:1 reads to writes. 45 minutes."
        ),
        "elements": _entry_point("Shortener API"),
    },
    {
        "id": "rate_limiter",
        "title": "Design a rate limiter",
        "prompt": (
            "Design a rate limiter for a public API gateway: per-user and per-IP limits, "
            "many gateway instances, limits change without deploys. 45 minutes."
        ),
        "elements": _entry_point("API gateway"),
    },
    {
        "id": "chat",
        "title": "Design a chat service",
        "prompt": (
            "Design one-to-one and group chat with delivery receipts and history, "
            "for 20 million daily users on mobile and web. 45 minutes."
        ),
        "elements": _entry_point("Chat gateway"),
    },
    {
        "id": "news_feed",
        "title": "Design a news feed",
        "prompt": (
            "Design the home feed of a social network: posts from people you follow, ranked, "
            "with celebrities followed by millions. 45 minutes."
        ),
        "elements": _entry_point("Feed API"),
    },
]

BY_ID = {template["id"]: template for template in TEMPLATES}
