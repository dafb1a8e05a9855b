"""Fingerprinted static URLs: ``asset('css/site.css')`` -> ``/static/css/site.css?v=<hash>``."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Flask, current_app, url_for


@functools.cache
def _fingerprint(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset(filename: str) -> str:
    path = Path(current_app.static_folder) / filename
    return url_for("static", filename=filename, v=_fingerprint(path, path.stat().st_mtime))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset"] = asset
