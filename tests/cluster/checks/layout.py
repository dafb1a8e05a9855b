"""The proxy does its part of the layout: static files from its own copy with the right cache headers,
compression, HTTP sent to HTTPS, unknown names refused, and signed-in pages never stored by caches."""

from __future__ import annotations

import re

import urllib3

from tests.cluster.client import NO_ANSWER
from tests.cluster.cluster import Cluster
from tests.cluster.proxy import ADDRESS, HOSTNAME

ASSET = re.compile(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"')
GZIP = {"Accept-Encoding": "gzip"}


def check(cluster: Cluster) -> None:
    visitor = cluster.visitor()
    before = len(cluster.access_log())
    home = visitor.get("/", headers=GZIP)
    assert home.status == 200 and home.headers.get("Content-Encoding") == "gzip", dict(home.headers)
    fingerprinted = ASSET.search(home.data.decode()).group(1)
    static = visitor.get(fingerprinted, headers=GZIP)
    assert static.status == 200
    assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable", dict(static.headers)
    assert static.headers.get("Content-Encoding") == "gzip"
    plain = visitor.get(fingerprinted.split("?")[0])
    assert plain.headers["Cache-Control"] == "no-cache", dict(plain.headers)
    assert not [e for e in cluster.access_log()[before:] if "/static/" in e.path], (
        "static files reached a host"
    )
    health = visitor.get("/healthz")
    assert health.status == 200 and "no-store" in health.headers["Cache-Control"]

    member = cluster.visitor()
    member.log_in("camila@derechosandinos.example", "Salvaguardas-2026-demo")
    signed_in = member.get("/", headers=GZIP)
    assert signed_in.status == 200 and signed_in.headers["Cache-Control"] == "private, no-store"

    redirect = urllib3.HTTPConnectionPool(ADDRESS, 80).request(
        "GET", "/trainings?page=1", headers={"Host": HOSTNAME}, redirect=False
    )
    assert redirect.status == 301 and redirect.headers["Location"] == f"https://{HOSTNAME}/trainings?page=1"
    stranger = visitor.status("GET", "/", headers={"Host": "evil.example"})
    assert stranger in (NO_ANSWER, 400, 421), stranger
    cluster.figures["proxy layout"] = (
        f"anonymous pages and static files gzipped; {fingerprinted} immutable for a year, from nginx; "
        "signed-in pages private, no-store; HTTP redirected; unknown Host refused"
    )
