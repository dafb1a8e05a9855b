"""A real SMTP server (aiosmtpd) on the bridge, where both hosts' mail workers deliver."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.cluster.apphosts import SMTP_PORT, host_of
from tests.cluster.network import CLIENT


@dataclass
class Received:
    message_id: str
    to: str
    subject: str
    sender_host: str  # the app host whose worker delivered it, by its address


class Inbox:
    def __init__(self):
        self.messages: list[Received] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        email = message_from_bytes(envelope.content, policy=policy.default)
        received = Received(
            str(email["Message-ID"]),
            ",".join(envelope.rcpt_tos),
            str(email["Subject"]),
            host_of(session.peer[0] + ":"),
        )
        with self._lock:
            self.messages.append(received)
        return "250 OK"

    def copies(self) -> Counter:
        with self._lock:
            return Counter(message.message_id for message in self.messages)

    def by_host(self) -> Counter:
        with self._lock:
            return Counter(message.sender_host for message in self.messages)


class SmtpServer:
    def __init__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname=CLIENT, port=SMTP_PORT)

    def __enter__(self) -> Inbox:
        self.controller.start()
        return self.inbox

    def __exit__(self, *exc) -> None:
        self.controller.stop()
