"""Boards, the canvas and live sync; also the project wiring (settings, ASGI, URLs)."""
