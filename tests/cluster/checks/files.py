"""(c) A file uploaded through one host downloads, byte for byte, through the other.

The hosts share files through the database storage backend (``CONSORTIUM_STORAGE=database``); each also
has its own upload folder, so nothing can pass through a shared disk. A staff member (two-factor log-in,
the demo's authenticator key) uploads a PDF to a library version through nginx; then nginx is asked for it
until the host that did not store it has served it too.
"""

from __future__ import annotations

import hashlib

import pyotp

from consortium.demo import PASSWORD, STAFF_TOTP_SECRET
from tests.cluster.apphosts import host_of
from tests.cluster.cluster import Cluster
from tests.cluster.network import VISITORS

STAFF = "ana@ilda.example"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" * 200


def check(cluster: Cluster) -> None:
    visitor = cluster.visitor(VISITORS[4])
    visitor.log_in(STAFF, PASSWORD)
    form = {"csrf_token": visitor.token("/login/verify"), "code": pyotp.TOTP(STAFF_TOTP_SECRET).now()}
    assert visitor.post("/login/verify", data=form).status == 302, "second factor refused"
    ((version_id,),) = cluster.sql("SELECT id FROM resource_versions ORDER BY id LIMIT 1")
    before = len(cluster.access_log())
    fields = {"csrf_token": visitor.token("/library/manage"), "file": ("cluster.pdf", PDF, "application/pdf")}
    status = visitor.post(f"/library/manage/versions/{version_id}/attachment", fields=fields).status
    assert status == 302, f"upload answered {status}"
    ((attachment_id, name),) = cluster.sql("SELECT id, filename FROM attachments ORDER BY id DESC LIMIT 1")
    uploaded_on = host_of(next(e for e in cluster.access_log()[before:] if e.method == "POST").upstreams[-1])
    served = set()
    for _ in range(12):
        response = cluster.visitor().get(f"/library/attachments/{attachment_id}/{name}")
        assert response.status == 200, f"download answered {response.status}"
        assert hashlib.sha256(response.data).digest() == hashlib.sha256(PDF).digest(), "different bytes"
        served.add(host_of(cluster.access_log()[-1].upstreams[-1]))
        if served - {uploaded_on}:
            break
    assert served - {uploaded_on}, f"only {uploaded_on} served the file"
    cluster.figures["file across hosts (c)"] = (
        f"{len(PDF):,} bytes uploaded through {uploaded_on}, downloaded identical through {sorted(served)}"
    )
