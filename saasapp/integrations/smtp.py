"""SMTP client: ``smtp://user:pass@host:587`` (STARTTLS when offered) or ``smtps://...:465``."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlparse


class SmtpError(Exception):
    pass


def send(url: str, *, sender: str, to: str, subject: str, body: str, timeout: float = 15) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps"):
        raise SmtpError("SMTP_URL must start with smtp:// or smtps://")
    host = parsed.hostname or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        if parsed.scheme == "smtps":
            client = smtplib.SMTP_SSL(
                host, parsed.port or 465, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, parsed.port or 587, timeout=timeout)
        with client:
            client.ehlo()
            if parsed.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if parsed.username:
                client.login(unquote(parsed.username), unquote(parsed.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SmtpError(f"could not send to {host}: {type(exc).__name__}") from exc
