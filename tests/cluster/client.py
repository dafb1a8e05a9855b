"""The test's visitors: HTTPS to nginx under the public name, each from its own address on the bridge.

Nothing resolves ``consortium.test``, so a visitor connects to the proxy's address and sends the name
itself, in TLS (SNI, and the certificate is checked against it) and in ``Host``. Redirects are never
followed (they point at the public name); cookies are kept by name, which is all one site needs.
Plain urllib3: requests replaces the trusted certificates and the name a pool was given.
"""

from __future__ import annotations

import json as jsonlib
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import urllib3

from tests.cluster.network import CLIENT
from tests.cluster.proxy import ADDRESS, HOSTNAME

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: What a visitor sees when no answer came at all (the connection broke or timed out).
NO_ANSWER = 0


class Visitor:
    def __init__(self, certificate: Path, source: str = CLIENT):
        self.pool = urllib3.HTTPSConnectionPool(
            ADDRESS,
            443,
            server_hostname=HOSTNAME,
            assert_hostname=HOSTNAME,
            ca_certs=str(certificate),
            cert_reqs="CERT_REQUIRED",
            source_address=(source, 0),
            maxsize=64,
            retries=False,
            timeout=urllib3.Timeout(connect=5, read=30),
        )
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, *, json=None, data=None, fields=None, headers=None):
        """The answer (``.status``, ``.data``, ``.json()``, ``.headers``); raises when none came."""
        headers = {"Host": HOSTNAME, **(headers or {})}
        if method != "GET":  # Flask-WTF checks, over HTTPS, that a form comes from the site itself
            headers["Referer"] = f"https://{HOSTNAME}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if json is not None:
            body, headers["Content-Type"] = jsonlib.dumps(json), "application/json"
        elif data is not None:
            body, headers["Content-Type"] = urlencode(data), "application/x-www-form-urlencoded"
        if fields is not None:
            response = self.pool.request(method, path, fields=fields, headers=headers, redirect=False)
        else:
            response = self.pool.request(method, path, body=body, headers=headers, redirect=False)
        for header in response.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)

    def status(self, method: str, path: str, **kwargs) -> int:
        """The answer's status, or ``NO_ANSWER`` when the connection broke or timed out."""
        try:
            return self.request(method, path, **kwargs).status
        except urllib3.exceptions.HTTPError:
            return NO_ANSWER

    def token(self, path: str) -> str:
        """The CSRF token of the form on ``path`` (the session's token, for JSON writes too)."""
        found = CSRF.search(self.get(path).data.decode())
        if found is None:
            raise AssertionError(f"no CSRF token on {path}")
        self.csrf = found.group(1)
        return self.csrf

    def log_in(self, email: str, password: str) -> None:
        form = {"csrf_token": self.token("/login"), "email": email, "password": password}
        status = self.post("/login", data=form).status
        if status != 302:
            raise AssertionError(f"log-in as {email} answered {status}")
