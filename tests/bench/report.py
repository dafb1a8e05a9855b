"""The tables `make bench` prints and writes to bench-results/latest.md."""

from __future__ import annotations

from pathlib import Path

from tests.bench import database
from tests.bench.pages import Page
from tests.bench.servers import CONNECTIONS, DURATION, GUNICORN

CACHED_TARGET = 0.25  # anonymous pages with the page cache on
GROWTH_LIMIT = 1.15  # no page's cost at the large scale more than 15 % above the small one


def _ratio(value: float, hello: float, target: float) -> str:
    ratio = value / hello
    return f"{ratio:.3f}" + ("" if ratio >= target else " (below)")


def write_report(
    out: Path, medians: dict, page_list: list[Page], figures: dict, large: dict, run: tuple
) -> None:
    scale, large_scale, seeded, rounds = run
    hello = medians["hello"]["hello"]
    lines = [
        f"gunicorn {' '.join(GUNICORN)}; wrk 1 thread, {CONNECTIONS} connections, {DURATION} s per page; "
        f"median of {rounds} interleaved rounds; {database.KIND} seeded with "
        f"`flask bench seed --scale {scale}` in {seeded:.0f} s; CPU ms: median of 50 in-process requests",
        "",
        "Page cache off (what signed-in people, new searches and every page after an edit pay):",
        "",
        "| page | who | req/s | x hello | target | p50 ms | p95 ms | errors | queries | CPU ms | KB gzip "
        "| requests |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| bare Flask hello | - | {hello['rps']:.0f} | 1.000 | - | {hello['p50']:.1f} | "
        f"{hello['p95']:.1f} | {hello['errors']:.0f} | - | - | - | - |",
    ]
    for page in page_list:
        m, f = medians["off"][page.name], figures[page.name]
        weight = f"{f['kb']:.1f} | {f['requests']}" if "kb" in f else "- | -"
        lines.append(
            f"| {page.name} | {page.who} | {m['rps']:.0f} | {_ratio(m['rps'], hello['rps'], page.target)} | "
            f"{page.target} | {m['p50']:.1f} | {m['p95']:.1f} | {m['errors']:.0f} | {f['queries']} | "
            f"{f['cpu_ms']:.1f} | {weight} |"
        )
    lines += [
        "",
        f"Page cache on (anonymous GET pages; target {CACHED_TARGET}x):",
        "",
        "| page | req/s | x hello | p50 ms | p95 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in page_list:
        if page.cacheable:
            m = medians["on"][page.name]
            lines.append(
                f"| {page.name} | {m['rps']:.0f} | {_ratio(m['rps'], hello['rps'], CACHED_TARGET)} | "
                f"{m['p50']:.1f} | {m['p95']:.1f} | {m['errors']:.0f} |"
            )
    if large:
        lines += [
            "",
            f"Cost as the data grows (in-process, scale {scale} -> {large_scale}; limit {GROWTH_LIMIT}x):",
            "",
            f"| page | CPU ms ({scale}) | CPU ms ({large_scale}) | ratio | queries ({scale}) "
            f"| queries ({large_scale}) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for page in page_list:
            small, big = figures[page.name], large[page.name]
            ratio = big["cpu_ms"] / small["cpu_ms"] if small["cpu_ms"] else 1.0
            flag = "" if ratio <= GROWTH_LIMIT else " (grows)"
            lines.append(
                f"| {page.name} | {small['cpu_ms']:.1f} | {big['cpu_ms']:.1f} | {ratio:.2f}{flag} | "
                f"{small['queries']} | {big['queries']} |"
            )
    text = "\n".join(lines)
    print(text)
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(text + "\n")
