"""A real local SMTP server for the tests that send mail (aiosmtpd), started by the ``smtp`` fixture."""

from __future__ import annotations

import socket
from collections.abc import Iterator

from aiosmtpd.controller import Controller


class Inbox:
    """What the server received: (sender, recipients, raw message) per message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve() -> Iterator[tuple[Inbox, int]]:
    """Start a server on a free loopback port; yield its inbox and port; stop it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()
