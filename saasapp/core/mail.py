"""Emails: queued as rows in the caller's transaction, sent by a worker job.

With ``SMTP_URL`` set, the job sends through that server. Without it (the embedded default) the
message stays in the dev mailbox: admins read it on a page, and it is printed in the log.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from saasapp.core.columns import utcnow
from saasapp.core.models import EmailMessage
from saasapp.integrations import smtp
from saasapp.log import get_logger
from saasapp.queues import enqueue_after_commit
from saasapp.settings import get_settings

log = get_logger(__name__)
SEND_JOB = "saasapp.core.jobs.send_email"


def queue_email(session: Session, *, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage(to=to, subject=subject, body_text=body)
    session.add(message)
    session.flush()
    enqueue_after_commit(session, SEND_JOB, message.id)
    return message


def send_queued(session: Session, message_id: int) -> str:
    """Send one queued message; returns its new status."""
    message = session.get(EmailMessage, message_id)
    if message is None or message.status not in ("queued", "failed"):
        return message.status if message else "missing"
    settings = get_settings()
    message.attempts += 1
    if not settings.smtp_url:
        message.status = "dev"
        log.info("dev_mailbox", to=message.to, subject=message.subject, body=message.body_text)
    else:
        try:
            smtp.send(
                settings.smtp_url,
                sender=settings.mail_from,
                to=message.to,
                subject=message.subject,
                body=message.body_text,
            )
            message.status = "sent"
            message.error = ""
        except smtp.SmtpError as exc:
            message.status = "failed"
            message.error = str(exc)[:1000]
            log.warning("email_failed", message_id=message.id, error=message.error)
    message.sent_at = utcnow()
    session.add(message)
    session.commit()
    if message.status == "failed":
        raise smtp.SmtpError(message.error)  # RQ records the failure; the sweep retries
    return message.status


MAX_ATTEMPTS = 5


def unsent_ids(session: Session, limit: int = 100) -> list[int]:
    """Messages to send again: failed ones with attempts left, and queued ones whose send job
    was lost (still queued a minute after they were written)."""
    query = (
        select(EmailMessage.id)
        .where(
            or_(
                and_(EmailMessage.status == "failed", EmailMessage.attempts < MAX_ATTEMPTS),
                and_(
                    EmailMessage.status == "queued",
                    EmailMessage.created_at < utcnow() - timedelta(minutes=1),
                ),
            )
        )
        .order_by(EmailMessage.id)
        .limit(limit)
    )
    return list(session.scalars(query).all())


def mailbox(session: Session, *, to: str = "", limit: int = 50) -> list[EmailMessage]:
    """The newest messages (the dev mailbox page)."""
    query = select(EmailMessage).order_by(EmailMessage.id.desc()).limit(limit)
    if to:
        query = query.where(EmailMessage.to == to.lower())
    return list(session.scalars(query).all())
