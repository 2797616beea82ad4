"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {
                "to": envelope.rcpt_tos,
                "from": envelope.mail_from,
                "subject": str(message["subject"]),
                "body": message.get_body(("plain",)).get_content(),
            }
        )
        return "250 OK"


class SmtpCapture:
    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[dict]:
        return self.handler.messages

    def start(self) -> SmtpCapture:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        self.handler.messages.clear()

    def last_to(self, address: str, timeout: float = 0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages if address.lower() in m["to"]]
            if found or time.monotonic() >= deadline:
                break
            time.sleep(0.1)
        assert found, f"no email to {address}; got {[m['to'] for m in self.messages]}"
        return found[-1]

    def code_for(self, address: str, timeout: float = 0) -> str:
        return re.search(r"\b(\d{6})\b", self.last_to(address, timeout)["body"]).group(1)

    def link_for(self, address: str, timeout: float = 0) -> str:
        return re.search(r"(https?://\S+)", self.last_to(address, timeout)["body"]).group(1)
