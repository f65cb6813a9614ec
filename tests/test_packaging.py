"""The installed package holds every sub-package and the data files read at run time."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_python_package_is_shipped():
    shipped = set(find_packages(where=str(ROOT), include=CONFIG["packages"]["find"]["include"]))
    assert {"reviews.formats", "reviews.api", "whiteboard.services", "whiteboard.api"} <= shipped
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in ("bothsides", "whiteboard", "reviews")
        for path in (ROOT / top).rglob("__init__.py")
    }
    assert on_disk <= shipped


def test_the_data_files_read_at_run_time_are_package_data():
    data = CONFIG["package-data"]
    assert "inference_rules.json" in data["reviews.formats"]
    assert "vocabulary.json" in data["whiteboard"]
    assert "glossary.txt" in data["reviews"]
    for package, patterns in data.items():
        folder = ROOT / package.replace(".", "/")
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"{package}: {pattern} matches nothing"
