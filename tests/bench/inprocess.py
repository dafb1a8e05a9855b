"""What a page costs inside one process, with the same views the servers run: queries, page weight and
CPU milliseconds (the median of many requests, so the figure does not depend on what else the machine does).
"""

from __future__ import annotations

import gzip
import re
import statistics
import time

from tests.bench.pages import IN_PROCESS_TOKENS, Page, csrf_of, sign_in_client

CPU_SAMPLES = 50
ASSETS = re.compile(rb'(?:href|src)="(/[^"]+\.(?:css|js|svg)(?:\?v=\w+)?)"')


def measure(app, page_list: list[Page], t: dict, *, weigh: bool = True) -> dict[str, dict]:
    """{page name: status, queries, cpu_ms (median), and with ``weigh`` KB gzip and requests}."""
    import sqlalchemy as sa

    from consortium.db import db

    with app.app_context():
        engine = db.engine
    anonymous, member, staff = app.test_client(), sign_in_client(app), sign_in_client(app, staff=True)
    csrf = csrf_of(member, f"/safeguards/assessments/{t['draft']}/steps/O3")
    tokens = iter(t["tokens"][-IN_PROCESS_TOKENS:])
    figures: dict[str, dict] = {}
    for page in page_list:
        client = {"member": member, "staff": staff}.get(page.who, anonymous)

        def request(page=page, client=client):
            return client.open(page.path, **_request_arguments(page, csrf, tokens))

        request().close()  # warm caches (templates, translations) before counting
        statements: list[str] = []

        def listener(*args, into=statements):
            into.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        response = request()
        sa.event.remove(engine, "before_cursor_execute", listener)
        body = response.get_data()
        figures[page.name] = {"status": response.status_code, "queries": len(statements)}
        figures[page.name]["cpu_ms"] = _cpu_ms(request)
        if weigh and not page.lua:
            figures[page.name].update(_weight(client, body))
    return figures


def _cpu_ms(request) -> float:
    samples = []
    for _ in range(CPU_SAMPLES):
        started = time.process_time()
        request().get_data()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


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
