"""nginx on the "proxy" machine, running the production site file (deploy/nginx/consortium.conf).

The site file is used as written, inside Debian's own /etc/nginx/nginx.conf, with only its
deployment values replaced: the public name, the certificate (a self-signed one made here), the
app hosts' addresses, the checkout's path and the log folder. Every replaced value must be found, so
the production file cannot drift away from what this test runs.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.cluster.network import MACHINES
from tests.cluster.processes import Processes

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy/nginx/consortium.conf"
DEBIAN_MAIN = Path("/etc/nginx/nginx.conf")
HOSTNAME = "consortium.test"
ADDRESS = MACHINES["proxy"]
APP_PORT = 8000


def _replace(text: str, old: str, new: str) -> str:
    if old not in text:
        raise RuntimeError(f"{old!r} is no longer in the nginx configuration: update tests/cluster/proxy.py")
    return text.replace(old, new)


def render(folder: Path) -> Path:
    """Write the certificate, the site and the main configuration into ``folder``; return the main one."""
    folder.mkdir()
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    names = ["-subj", f"/CN={HOSTNAME}", "-addext", f"subjectAltName=DNS:{HOSTNAME}"]
    subprocess.run(
        [*request, *names, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True
    )
    site = SITE.read_text()
    site = _replace(site, "/etc/letsencrypt/live/consortium.example.org/fullchain.pem", str(cert))
    site = _replace(site, "/etc/letsencrypt/live/consortium.example.org/privkey.pem", str(key))
    site = _replace(site, "consortium.example.org", HOSTNAME)
    site = _replace(site, f"server 10.0.0.11:{APP_PORT}", f"server {MACHINES['app1']}:{APP_PORT}")
    site = _replace(site, f"server 10.0.0.12:{APP_PORT}", f"server {MACHINES['app2']}:{APP_PORT}")
    site = _replace(site, "/srv/consortium/", f"{ROOT}/")
    site = _replace(site, "/var/log/nginx/", f"{folder}/")
    (folder / "site.conf").write_text(site)
    main = DEBIAN_MAIN.read_text()
    main = _replace(main, "pid /run/nginx.pid;", f"pid {folder}/nginx.pid;")
    main = _replace(main, "/var/log/nginx/", f"{folder}/")
    main = _replace(main, "include /etc/nginx/sites-enabled/*;", f"include {folder}/site.conf;")
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf"


def start(processes: Processes, workdir: Path) -> Path:
    """Check the configuration, start nginx; returns the certificate for the client to trust."""
    main = render(workdir / "nginx")
    processes.run("nginx-check", "proxy", ["nginx", "-t", "-q", "-c", str(main)])
    processes.start("nginx", "proxy", ["nginx", "-c", str(main), "-g", "daemon off;"])
    return main.parent / "cert.pem"


@dataclass
class Entry:
    """One line of the access log: a request and the hosts nginx tried for it, in order."""

    start: float
    end: float
    method: str
    path: str
    status: int
    upstreams: list[str]


LINE = re.compile(
    r'(?P<msec>[\d.]+) "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ '
    r"rt=(?P<rt>[\d.]+) upstream=(?P<upstream>.*?) ustatus="
)


def access_log(workdir: Path) -> list[Entry]:
    entries = []
    for line in (workdir / "nginx/consortium.access.log").read_text().splitlines():
        found = LINE.search(line)
        if found is None:
            continue
        end = float(found["msec"])
        upstreams = [u.strip() for u in re.split(r"[,:] ", found["upstream"]) if u.strip() not in ("", "-")]
        entries.append(
            Entry(
                end - float(found["rt"]), end, found["method"], found["path"], int(found["status"]), upstreams
            )
        )
    return entries
