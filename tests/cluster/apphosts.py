"""The app hosts: on each of "app1" and "app2", gunicorn (deploy/gunicorn.conf.py) and a mail worker,
both configured by the environment exactly as consortium-web.service and consortium-mail.service are.

Each host has its own upload folder: the hosts share this machine's disk, and a shared folder would
let a file written by one host be read by the other without the shared storage under test.
"""

from __future__ import annotations

import secrets
import sys
import time
from pathlib import Path

import requests

from tests.cluster import datastores
from tests.cluster.network import CLIENT, MACHINES
from tests.cluster.processes import Processes
from tests.cluster.proxy import APP_PORT, HOSTNAME, ROOT

HOSTS = ("app1", "app2")
SMTP_PORT = 2525
BIN = Path(sys.executable).parent


def environment(workdir: Path, host: str, secret: str) -> dict:
    return {
        "PATH": f"{BIN}:/usr/bin:/bin:/usr/sbin:/sbin",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
        "FLASK_APP": "wsgi:app",
        "WEB_CONCURRENCY": "2",
        "CONSORTIUM_BIND": f"{MACHINES[host]}:{APP_PORT}",
        "CONSORTIUM_ENV": "production",
        "SECRET_KEY": secret,
        "DATABASE_URL": datastores.DATABASE_URL,
        "REDIS_URL": datastores.REDIS_URL,
        "CONSORTIUM_STORAGE": "database",
        "CONSORTIUM_UPLOAD_FOLDER": str(workdir / host / "uploads"),
        "CONSORTIUM_PUBLIC_URL": f"https://{HOSTNAME}",
        "CONSORTIUM_PROXY_FIX_X_FOR": "1",
        "CONSORTIUM_MAIL_BACKEND": "smtp",
        "CONSORTIUM_MAIL_SERVER": CLIENT,
        "CONSORTIUM_MAIL_PORT": str(SMTP_PORT),
        "CONSORTIUM_MAIL_DEFAULT_SENDER": f"DPI Consortium <no-reply@{HOSTNAME}>",
    }


class AppHosts:
    def __init__(self, processes: Processes, workdir: Path):
        self.processes = processes
        secret = secrets.token_hex(32)  # one secret for all hosts: a session signed by one is valid on all
        self.env = {host: environment(workdir, host, secret) for host in HOSTS}
        for host in HOSTS:
            (workdir / host / "uploads").mkdir(parents=True)

    def flask(self, host: str, *args: str) -> None:
        """A release step (``flask db upgrade``, ``flask demo load``) run on ``host``."""
        self.processes.run(f"flask-{'-'.join(args)}", host, [str(BIN / "flask"), *args], env=self.env[host])

    def start(self) -> None:
        for host in HOSTS:
            gunicorn = [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py"), "wsgi:app"]
            self.processes.start(f"{host}-gunicorn", host, gunicorn, env=self.env[host])
            self.processes.start(
                f"{host}-mail", host, [str(BIN / "flask"), "mail", "worker"], env=self.env[host]
            )
        for host in HOSTS:
            self.wait_healthy(host)

    def wait_healthy(self, host: str, seconds: float = 120) -> dict:
        """Ask the host's /healthz directly, as the monitor and a deploy script do."""
        url = f"http://{MACHINES[host]}:{APP_PORT}/healthz"
        deadline = time.monotonic() + seconds
        while True:
            try:
                response = requests.get(url, headers={"Host": HOSTNAME}, timeout=2)
                if response.status_code == 200:
                    return response.json()
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{host} never became healthy:\n{self.processes.tail(host + '-gunicorn')}")
            time.sleep(0.3)

    def address(self, host: str) -> str:
        return f"{MACHINES[host]}:{APP_PORT}"


def host_of(upstream: str) -> str:
    return next((host for host in HOSTS if MACHINES[host] + ":" in upstream), upstream)
