"""URLs templates build on every page, remembered per worker where they cannot change.

``asset('css/site.css')`` -> ``/static/css/site.css?v=<hash>``: a fingerprinted static URL. Features pass
their blueprint: ``asset('js/autosave.js', 'safeguards')`` serves from that blueprint's own static folder.

The layout alone builds about fifteen links (navigation, footer, its stylesheet and scripts): through
Flask's ``url_for`` and a ``stat`` per asset that was about 0.3 ms of every page, a tenth of a light one
(measured in-process, request by request against the previous globals). A link without values depends
only on the endpoint and where the app is mounted, and a file's fingerprint only on the deployed files,
so both are built once per worker; in debug mode an edited file still gets its new fingerprint at once.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import flask
from flask import Flask, current_app, has_request_context, request
from werkzeug.routing import Map


@functools.cache
def _fingerprint(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _asset_url(filename: str, blueprint: str | None) -> str:
    owner = current_app.blueprints[blueprint] if blueprint else current_app
    path = Path(owner.static_folder) / filename
    endpoint = f"{blueprint}.static" if blueprint else "static"
    return flask.url_for(endpoint, filename=filename, v=_fingerprint(path, path.stat().st_mtime))


# The URL map stands for the app (a process may hold several, as the tests do), the script root for where
# it is mounted.
@functools.lru_cache(maxsize=256)
def _deployed_asset_url(filename: str, blueprint: str | None, _urls: Map, _mounted_at: str) -> str:
    return _asset_url(filename, blueprint)


def asset(filename: str, blueprint: str | None = None) -> str:
    if current_app.debug:
        return _asset_url(filename, blueprint)
    return _deployed_asset_url(filename, blueprint, current_app.url_map, request.script_root)


@functools.lru_cache(maxsize=1024)
def _link(endpoint: str, _urls: Map, _mounted_at: str) -> str:
    return flask.url_for(endpoint)


def url_for(endpoint: str, **values) -> str:
    """Flask's ``url_for`` for templates; a link without values is built once per app and mount point
    (a relative ``.endpoint`` depends on the blueprint of the request, so it is always built)."""
    if values or endpoint.startswith(".") or not has_request_context():
        return flask.url_for(endpoint, **values)
    return _link(endpoint, current_app.url_map, request.script_root)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(asset=asset, url_for=url_for)
