"""Arrow routing for the server's drawings (SVG, PNG, the report): the canvas's routes, point for point. Pure.

A line-for-line port of frontend/src/canvas/routing.ts; tests/examples/routes.json holds
boards with the points both must give (frontend/src/canvas/routing.test.ts and
tests/reviews/formats/test_routing.py), so a change to one that the other lacks fails.
Only +, -, * and / on the inputs and exact comparisons, so Python's floats and
JavaScript's numbers come out the same.

An arrow leaves its source from a side (the one stored from the handle the user dragged,
else the one facing the target) by a short stub and enters its target the same way;
between the stubs a shortest path with a cost per bend runs on the grid of lines through
the inflated edges of the boxes near the two ends, never inside one. Arrows sharing a
side of a box spread along it. Labels go on the path, clear of boxes and of each other.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # left, top, right, bottom

MARGIN = 16
PAD = 96
PADS = (PAD, PAD * 4)
BEND = 40
HUG = 0.25  # running along a box's clearance line costs a quarter more (see routing.ts)
LABEL_HEIGHT = 22
LABEL_MAX = 220

DX = (1, 0, -1, 0)  # right, down, left, up
DY = (0, 1, 0, -1)
SIDE_DIR = {"right": 0, "bottom": 1, "left": 2, "top": 3}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @classmethod
    def of(cls, element: Mapping[str, Any]) -> Rect:
        return cls(element["x"], element["y"], element["w"], element["h"])


def facing_sides(source: Rect, target: Rect) -> tuple[str, str]:
    dx = target.x + target.w / 2 - (source.x + source.w / 2)
    dy = target.y + target.h / 2 - (source.y + source.h / 2)
    gap_x = abs(dx) - (source.w + target.w) / 2
    gap_y = abs(dy) - (source.h + target.h) / 2
    horizontal = gap_x * 1.5 >= gap_y if gap_x > 0 else gap_y <= 0 and abs(dx) >= abs(dy)
    if horizontal:
        return ("right", "left") if dx >= 0 else ("left", "right")
    return ("bottom", "top") if dy >= 0 else ("top", "bottom")


def port(rect: Rect, side: str, at: float = 0.5) -> Point:
    if side == "left":
        return rect.x, rect.y + rect.h * at
    if side == "right":
        return rect.x + rect.w, rect.y + rect.h * at
    if side == "top":
        return rect.x + rect.w * at, rect.y
    return rect.x + rect.w * at, rect.y + rect.h


def _inflate(rect: Rect, by: float) -> Box:
    return rect.x - by, rect.y - by, rect.x + rect.w + by, rect.y + rect.h + by


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, x: float, y: float) -> bool:
    return box[0] < x < box[2] and box[1] < y < box[3]


def area(source: Rect, target: Rect, pad: float) -> Rect:
    left = min(source.x, target.x) - pad
    top = min(source.y, target.y) - pad
    right = max(source.x + source.w, target.x + target.w) + pad
    bottom = max(source.y + source.h, target.y + target.h) + pad
    return Rect(left, top, right - left, bottom - top)


def _touches(region: Rect, rect: Rect) -> bool:
    return _overlaps(_inflate(region, 0), _inflate(rect, MARGIN))


def _sorted(values: list[float], lo: float, hi: float) -> list[float]:
    return sorted({v for v in values if lo <= v <= hi})


def _search(s1: Point, sd: int, t1: Point, td: int, region: Rect, blocked: Sequence[Box]) -> list[Point] | None:
    xs0 = [region.x, region.x + region.w, s1[0], t1[0], (s1[0] + t1[0]) / 2]
    ys0 = [region.y, region.y + region.h, s1[1], t1[1], (s1[1] + t1[1]) / 2]
    for b in blocked:
        xs0 += [b[0], b[2]]
        ys0 += [b[1], b[3]]
    xs = _sorted(xs0, region.x, region.x + region.w)
    ys = _sorted(ys0, region.y, region.y + region.h)
    nx, ny = len(xs), len(ys)
    free = [not any(_inside(b, x, y) for b in blocked) for x in xs for y in ys]
    si, sj, ti, tj = xs.index(s1[0]), ys.index(s1[1]), xs.index(t1[0]), ys.index(t1[1])
    free[si * ny + sj] = True
    free[ti * ny + tj] = True
    goal = ti * ny + tj

    def heuristic(node: int) -> float:
        i, j = divmod(node, ny)
        return abs(xs[i] - t1[0]) + abs(ys[j] - t1[1])

    states = nx * ny * 4
    done = states
    best: dict[int, float] = {}
    parent: dict[int, int] = {}
    start = (si * ny + sj) * 4 + sd
    best[start] = 0
    seq = 0
    heap: list[tuple[float, int, int]] = [(abs(xs[si] - t1[0]) + abs(ys[sj] - t1[1]), seq, start)]
    seq += 1
    while heap:
        f, _, state = heapq.heappop(heap)
        if state >= done:
            return _corners(state - done, parent, xs, ys, ny)
        g = best[state]
        node, direction = state >> 2, state & 3
        if f > g + heuristic(node):
            continue
        if node == goal:
            if direction != (td + 2) % 4:
                heapq.heappush(heap, (g + (0 if direction == td else BEND), seq, done + state))
                seq += 1
            continue
        i, j = divmod(node, ny)
        for d in range(4):
            if d == (direction + 2) % 4:
                continue
            ni, nj = i + DX[d], j + DY[d]
            if ni < 0 or nj < 0 or ni >= nx or nj >= ny:
                continue
            following = ni * ny + nj
            if not free[following]:
                continue
            ax, ay, bx, by = xs[i], ys[j], xs[ni], ys[nj]
            mx, my = (ax + bx) / 2, (ay + by) / 2
            clear, hugs = True, False
            for b in blocked:
                if _inside(b, mx, my):
                    clear = False
                elif (
                    (my in (b[1], b[3]) and b[0] <= mx <= b[2])
                    if d % 2 == 0
                    else (mx in (b[0], b[2]) and b[1] <= my <= b[3])
                ):
                    hugs = True
            if not clear:
                continue
            length = (bx - ax) * DX[d] + (by - ay) * DY[d]
            cost = g + length + (length * HUG if hugs else 0) + (0 if d == direction else BEND)
            ns = following * 4 + d
            if cost < best.get(ns, float("inf")):
                best[ns] = cost
                parent[ns] = state
                heapq.heappush(heap, (cost + abs(bx - t1[0]) + abs(by - t1[1]), seq, ns))
                seq += 1
    return None


def _corners(state: int, parent: Mapping[int, int], xs: Sequence[float], ys: Sequence[float], ny: int) -> list[Point]:
    out: list[Point] = []
    s: int | None = state
    while s is not None:
        i, j = divmod(s >> 2, ny)
        out.append((xs[i], ys[j]))
        s = parent.get(s)
    return out[::-1]


def simplify(points: Iterable[Point]) -> list[Point]:
    """Drop repeated points and the middle of straight runs (not of a U-turn)."""
    out: list[Point] = []
    for p in points:
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            before, last = out[-2], out[-1]
            if (before[0] == last[0] == p[0] and (last[1] - before[1]) * (p[1] - last[1]) > 0) or (
                before[1] == last[1] == p[1] and (last[0] - before[0]) * (p[0] - last[0]) > 0
            ):
                out[-1] = p
                continue
        out.append(p)
    return out


def route(
    source: Rect,
    target: Rect,
    others: Iterable[Rect],
    *,
    source_side: str | None = None,
    target_side: str | None = None,
    source_at: float = 0.5,
    target_at: float = 0.5,
) -> list[Point]:
    """The corners of one arrow, from its source's side to its target's, round the `others`."""
    auto = facing_sides(source, target)
    ss, ts = source_side or auto[0], target_side or auto[1]
    s, t = port(source, ss, source_at), port(target, ts, target_at)
    sd = SIDE_DIR[ss]
    td = (SIDE_DIR[ts] + 2) % 4
    s1 = (s[0] + DX[sd] * MARGIN, s[1] + DY[sd] * MARGIN)
    t1 = (t[0] - DX[td] * MARGIN, t[1] - DY[td] * MARGIN)
    others = list(others)
    ends = [_inflate(source, MARGIN), _inflate(target, MARGIN)]
    for pad in PADS:
        region = area(source, target, pad)
        blocked = ends + [_inflate(o, MARGIN) for o in others if _touches(region, o)]
        # A stub inside another box's clearance can never be left or reached: no need to search.
        if any(_inside(b, *s1) or _inside(b, *t1) for b in blocked):
            break
        found = _search(s1, sd, t1, td, region, blocked)
        if found:
            return simplify([s, *found, t])
    # Boxed in, or the ends too close for stubs: the plainest right-angled line from end to end.
    if sd % 2 == 0 and td % 2 == 0:
        middle = [((s[0] + t[0]) / 2, s[1]), ((s[0] + t[0]) / 2, t[1])]
    elif sd % 2 == 1 and td % 2 == 1:
        middle = [(s[0], (s[1] + t[1]) / 2), (t[0], (s[1] + t[1]) / 2)]
    else:
        middle = [(t[0], s[1]) if sd % 2 == 0 else (s[0], t[1])]
    return simplify([s, *middle, t])


def label_size(label: str) -> tuple[float, float]:
    return min(LABEL_MAX, len(label) * 7 + 20), LABEL_HEIGHT


def _label_box(x: float, y: float, size: tuple[float, float]) -> Box:
    return x - size[0] / 2, y - size[1] / 2, x + size[0] / 2, y + size[1] / 2


def label_spots(points: Sequence[Point]) -> list[Point]:
    segments = sorted(
        range(len(points) - 1),
        key=lambda k: (-(abs(points[k + 1][0] - points[k][0]) + abs(points[k + 1][1] - points[k][1])), k),
    )
    spots = []
    for k in segments:
        (ax, ay), (bx, by) = points[k], points[k + 1]
        spots += [(ax + (bx - ax) * f, ay + (by - ay) * f) for f in (0.5, 0.3, 0.7, 0.15, 0.85)]
    return spots


Segment = tuple[float, float, float, float]


def _crosses_box(b: Box, line: Segment) -> bool:
    x1, y1, x2, y2 = line
    return min(x1, x2) < b[2] and b[0] < max(x1, x2) and min(y1, y2) < b[3] and b[1] < max(y1, y2)


def segments(points: Sequence[Point]) -> list[Segment]:
    return [(*points[k], *points[k + 1]) for k in range(len(points) - 1)]


def place_label(
    points: Sequence[Point], label: str, boxes: Iterable[Rect], placed: list[Box], lines: Sequence[Segment] = ()
) -> Point:
    """The first spot clear of boxes, placed labels and other arrows' lines; else clear of boxes and labels."""
    size = label_size(label)
    spots = label_spots(points)
    near = [_inflate(b, 0) for b in boxes]
    chosen: Point | None = None
    fallback: Point | None = None
    for spot in spots:
        box = _label_box(spot[0], spot[1], size)
        if any(_overlaps(b, box) for b in near) or any(_overlaps(b, box) for b in placed):
            continue
        if fallback is None:
            fallback = spot
        if any(_crosses_box(box, line) for line in lines):
            continue
        chosen = spot
        break
    at = chosen or fallback or (spots[0] if spots else points[0])
    placed.append(_label_box(at[0], at[1], size))
    return at


@dataclass(frozen=True)
class Ends:
    source_side: str
    target_side: str
    source_at: float
    target_at: float


def assign_ends(boxes: Mapping[str, Rect], arrows: Sequence[Mapping[str, Any]]) -> dict[str, Ends]:
    """Each arrow's sides and where along them it attaches (see routing.ts, assignEnds)."""
    sides: dict[str, tuple[str, str]] = {}
    groups: dict[tuple[str, str], list[tuple[float, int, int, str]]] = {}
    for order, arrow in enumerate(arrows):
        source, target = boxes.get(arrow["source"]), boxes.get(arrow["target"])
        if source is None or target is None:
            continue
        auto = facing_sides(source, target)
        pair = (arrow.get("source_side") or auto[0], arrow.get("target_side") or auto[1])
        sides[arrow["id"]] = pair
        for end in (0, 1):
            side = pair[end]
            other = target if end == 0 else source
            key = other.x + other.w / 2 if side in ("top", "bottom") else other.y + other.h / 2
            groups.setdefault((arrow["source"] if end == 0 else arrow["target"], side), []).append(
                (key, order, end, arrow["id"])
            )
    at: dict[str, list[float]] = {}
    alone: set[tuple[str, int]] = set()
    for items in groups.values():
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        for k, (_, _, end, arrow_id) in enumerate(items):
            at.setdefault(arrow_id, [0.5, 0.5])[end] = (k + 1) / (len(items) + 1)
        if len(items) == 1:
            alone.add((items[0][3], items[0][2]))
    out: dict[str, Ends] = {}
    for arrow in arrows:
        chosen = sides.get(arrow["id"])
        if chosen is None:
            continue
        source_side, target_side = chosen
        source_at, target_at = at.get(arrow["id"], [0.5, 0.5])
        source, target = boxes[arrow["source"]], boxes[arrow["target"]]
        facing = SIDE_DIR[target_side] == (SIDE_DIR[source_side] + 2) % 4
        solo_source = (arrow["id"], 0) in alone
        solo_target = (arrow["id"], 1) in alone
        if facing and solo_source != solo_target:
            vertical = source_side in ("top", "bottom")
            fixed, fixed_at, free = (source, source_at, target) if solo_target else (target, target_at, source)
            line = fixed.x + fixed.w * fixed_at if vertical else fixed.y + fixed.h * fixed_at
            start = free.x if vertical else free.y
            length = free.w if vertical else free.h
            if start + length * 0.15 <= line <= start + length * 0.85:
                if solo_target:
                    target_at = (line - start) / length
                else:
                    source_at = (line - start) / length
        out[arrow["id"]] = Ends(source_side, target_side, source_at, target_at)
    return out


@dataclass(frozen=True)
class Routed:
    id: str
    points: list[Point]
    label: Point | None


def route_board(boxes: Mapping[str, Rect], arrows: Sequence[Mapping[str, Any]]) -> list[Routed]:
    """Every arrow of a board (boxes by id, arrows in board order): routes, then labels in order."""
    ends = assign_ends(boxes, arrows)
    routed: list[Routed] = []
    labels: list[tuple[int, str]] = []
    for arrow in arrows:
        source, target, end = boxes.get(arrow["source"]), boxes.get(arrow["target"]), ends.get(arrow["id"])
        if source is None or target is None or end is None:
            continue
        others = [r for i, r in boxes.items() if i not in (arrow["source"], arrow["target"])]
        points = route(
            source,
            target,
            others,
            source_side=end.source_side,
            target_side=end.target_side,
            source_at=end.source_at,
            target_at=end.target_at,
        )
        if arrow.get("label"):
            labels.append((len(routed), arrow["label"]))
        routed.append(Routed(arrow["id"], points, None))
    placed: list[Box] = []
    lines = [segments(r.points) for r in routed]
    for k, label in labels:
        crossing = [line for j, own in enumerate(lines) if j != k for line in own]
        at = place_label(routed[k].points, label, boxes.values(), placed, crossing)
        routed[k] = Routed(routed[k].id, routed[k].points, at)
    return routed


def _number(value: float) -> str:
    """A coordinate as JavaScript prints it, so both sides write the same path."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def path_of(points: Sequence[Point], radius: float = 8) -> str:
    """An SVG path through the points, corners rounded (as routing.ts's pathOf)."""
    if not points:
        return ""

    def sign(v: float) -> int:
        return (v > 0) - (v < 0)

    d = f"M{_number(points[0][0])},{_number(points[0][1])}"
    for k in range(1, len(points) - 1):
        (px, py), (x, y), (nx, ny) = points[k - 1], points[k], points[k + 1]
        r = min(radius, abs(x - px + y - py) / 2, abs(nx - x + ny - y) / 2)
        ax, ay = x - sign(x - px) * r, y - sign(y - py) * r
        bx, by = x + sign(nx - x) * r, y + sign(ny - y) * r
        d += f" L{_number(ax)},{_number(ay)} Q{_number(x)},{_number(y)} {_number(bx)},{_number(by)}"
    return d + f" L{_number(points[-1][0])},{_number(points[-1][1])}"


def points_attr(points: Sequence[Point]) -> str:
    """Points as `x,y;x,y`, rounded to 0.01, for data-points (the canvas writes the same)."""
    return ";".join(f"{_number(round(x, 2))},{_number(round(y, 2))}" for x, y in points)
