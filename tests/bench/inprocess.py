"""What a page costs inside one process, with the same views the servers run: queries, page weight and
CPU milliseconds (the median of many requests, so the figure does not depend on what else the machine does).
"""

from __future__ import annotations

import gzip
import re
import statistics
import time

from tests.bench.pages import IN_PROCESS_TOKENS, Page, csrf_of, pages, sign_in_client

CPU_SAMPLES = 50
ASSETS = re.compile(rb'(?:href|src)="(/[^"]+\.(?:css|js|svg)(?:\?v=\w+)?)"')


def measure(app, page_list: list[Page], t: dict, *, weigh: bool = True, large=None) -> tuple[dict, dict]:
    """{page name: status, queries, cpu_ms (median), and with ``weigh`` KB gzip and requests}, for ``app``
    and, with ``large`` (an app and its ids at the large scale), the same for it.

    The two scales are sampled in turn, request by request: the machine's speed drifts over minutes
    (other work, a virtual CPU's clock), and the growth ratio must not depend on that drift.
    """
    visitors = [_Visitor(app, t)] + ([_Visitor(*large)] if large else [])
    figures: list[dict[str, dict]] = [{} for _ in visitors]
    for page in page_list:
        requests = [visitor.request_for(page) for visitor in visitors]
        for visitor, request, into in zip(visitors, requests, figures, strict=True):
            request().close()  # warm caches (templates, translations) before counting
            status, queries, body = visitor.counted(request)
            into[page.name] = {"status": status, "queries": queries}
            if weigh and not page.lua and visitor is visitors[0]:
                into[page.name].update(_weight(visitor.client_for(page), body))
        for into, cpu_ms in zip(figures, _cpu_ms(requests), strict=True):
            into[page.name]["cpu_ms"] = cpu_ms
    return figures[0], (figures[1] if large else {})


class _Visitor:
    """The anonymous, member and staff clients of one app, and the requests they make."""

    def __init__(self, app, t: dict):
        from consortium.db import db

        with app.app_context():
            self.engine = db.engine
        self.anonymous, self.member = app.test_client(), sign_in_client(app)
        self.staff = sign_in_client(app, staff=True)
        self.csrf = csrf_of(self.member, f"/safeguards/assessments/{t['draft']}/steps/O3")
        self.tokens = iter(t["tokens"][-IN_PROCESS_TOKENS:])
        self.pages = {page.name: page for page in pages(t)}  # this scale's own record ids

    def client_for(self, page: Page):
        return {"member": self.member, "staff": self.staff}.get(page.who, self.anonymous)

    def request_for(self, page: Page):
        client, own = self.client_for(page), self.pages[page.name]

        def request():
            return client.open(own.path, **_request_arguments(own, self.csrf, self.tokens))

        return request

    def counted(self, request) -> tuple[int, int, bytes]:
        """Status, number of statements and body of one request."""
        import sqlalchemy as sa

        executed: list[str] = []

        def listener(*args):
            executed.append(args[2])

        sa.event.listen(self.engine, "before_cursor_execute", listener)
        response = request()
        sa.event.remove(self.engine, "before_cursor_execute", listener)
        return response.status_code, len(executed), response.get_data()


def _cpu_ms(requests: list) -> list[float]:
    """The median CPU milliseconds of each request, sampled in turn."""
    samples: list[list[float]] = [[] for _ in requests]
    for _ in range(CPU_SAMPLES):
        for request, into in zip(requests, samples, strict=True):
            started = time.process_time()
            request().get_data()
            into.append((time.process_time() - started) * 1000)
    return [statistics.median(each) for each in samples]


def _weight(client, body: bytes) -> dict:
    """Compressed HTML plus every stylesheet, script and icon it links, and how many requests that is."""
    assets = set(ASSETS.findall(body))
    weight = len(gzip.compress(body, 6))
    for asset in assets:
        response = client.get(asset.decode())
        weight += len(gzip.compress(response.get_data(), 6))
        response.close()
    return {"kb": weight / 1024, "requests": 1 + len(assets)}


def _request_arguments(page: Page, csrf: str, tokens) -> dict:
    if not page.lua:
        return {"method": "GET"}
    if "registrations" in page.path:  # each registration is a new person, as under wrk
        return {"method": "POST", "json": {}, "headers": {"Authorization": f"Bearer {next(tokens)}"}}
    body = re.search(r"wrk.body = \[\[(.*)\]\]", page.lua).group(1)
    return {
        "method": "POST",
        "data": body,
        "content_type": "application/json",
        "headers": {"X-CSRFToken": csrf, "Accept": "application/json"},
    }
