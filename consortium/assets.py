"""Fingerprinted static URLs: ``asset('css/site.css')`` -> ``/static/css/site.css?v=<hash>``.

Features pass their blueprint: ``asset('js/autosave.js', 'safeguards')`` serves from that blueprint's
own static folder.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Flask, current_app, url_for


@functools.cache
def _fingerprint(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset(filename: str, blueprint: str | None = None) -> str:
    owner = current_app.blueprints[blueprint] if blueprint else current_app
    path = Path(owner.static_folder) / filename
    endpoint = f"{blueprint}.static" if blueprint else "static"
    return url_for(endpoint, filename=filename, v=_fingerprint(path, path.stat().st_mtime))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset"] = asset
