"""The report's server-drawn diagram keeps every label inside its box, as the canvas does.

"Email / SMS / push providers" used to run past both sides of its 160 px box in the report,
and a long arrow label past its pill. Measured in Chromium, the text's own box inside the shape's.
"""

from __future__ import annotations

from typing import Any

from reviews.formats.svg import diagram_svg


def component(id_: str, label: str, x: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "kind": "component",
        "type": "external",
        "label": label,
        "x": x,
        "y": 40,
        "w": 160,
        "h": 60,
        **extra,
    }


ELEMENTS = [
    component("providers", "Email / SMS / push providers", 0, tech="Twilio, SES and Firebase Cloud Messaging"),
    component("api", "Notification API", 400, replicas=3),
    {
        "id": "a1",
        "kind": "arrow",
        "source": "api",
        "target": "providers",
        "style": "sync",
        "label": "POST /v1/messages with retries, idempotency keys and a dead-letter queue after five tries",
    },
]


def test_every_label_stays_inside_its_box(browser: Any):
    page = browser.new_page()
    try:
        page.set_content(f"<body style='margin:0'>{diagram_svg(ELEMENTS, {'providers': 2})}</body>")
        spills = page.evaluate(
            """() => [...document.querySelectorAll('g[data-shape]')].flatMap((g) => {
                const shape = g.querySelector('rect').getBBox();
                return [...g.querySelectorAll(':scope > text')].map((t) => {
                    const b = t.getBBox();
                    const inside = b.x >= shape.x - 0.5 && b.x + b.width <= shape.x + shape.width + 0.5
                        && b.y >= shape.y - 0.5 && b.y + b.height <= shape.y + shape.height + 0.5;
                    return inside ? null : g.dataset.shape + ': ' + t.textContent;
                }).filter(Boolean);
            })"""
        )
        shapes = page.locator("g[data-shape]").count()
        assert shapes == 3, f"{shapes} shapes drawn (two boxes and an arrow label)"
        assert spills == []
        titles = page.locator("g[data-shape=providers] title").all_text_contents()
        assert len(titles) == 1 and titles[0].startswith("Email / SMS / push providers"), (
            "the whole label is kept for hovering"
        )
    finally:
        page.close()
