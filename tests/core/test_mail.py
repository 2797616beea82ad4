"""Emails: queued with the change, sent by a job over real SMTP, retried a bounded number of
times."""

from datetime import timedelta

import pytest

from saasapp.core import mail
from saasapp.core.columns import utcnow
from saasapp.core.models import EmailMessage
from saasapp.db import new_session
from saasapp.settings import get_settings


def queue(to="reader@example.com"):
    with new_session() as session:
        message = mail.queue_email(session, to=to, subject="Hello", body="Body text")
        session.commit()
        return message.id


def test_a_queued_email_is_sent_through_smtp(db, redis_client, mailbox):
    message_id = queue()
    mailbox.deliver()
    received = mailbox.last_to("reader@example.com")
    assert (received["subject"], received["body"].strip()) == ("Hello", "Body text")
    with new_session() as session:
        sent = session.get(EmailMessage, message_id)
        assert (sent.status, sent.attempts) == ("sent", 1)


def test_without_smtp_the_email_goes_to_the_dev_mailbox(db, redis_client, monkeypatch, capfd):
    monkeypatch.setattr(get_settings(), "smtp_url", "")
    message_id = queue("dev@example.com")
    with new_session() as session:
        assert mail.send_queued(session, message_id) == "dev"
        assert [m.to for m in mail.mailbox(session)] == ["dev@example.com"]
    assert "Body text" in capfd.readouterr().err  # printed in the log too


def test_a_rolled_back_change_sends_nothing(db, redis_client, mailbox):
    with new_session() as session:
        mail.queue_email(session, to="ghost@example.com", subject="x", body="y")
        session.rollback()
    mailbox.deliver()
    assert mailbox.messages == []


def test_failures_are_retried_by_the_sweep_a_bounded_number_of_times(db, redis_client, monkeypatch):
    monkeypatch.setattr(get_settings(), "smtp_url", "smtp://127.0.0.1:1")  # nobody listens
    message_id = queue()
    for attempt in range(1, mail.MAX_ATTEMPTS + 1):
        with new_session() as session:
            with pytest.raises(Exception, match="could not send"):
                mail.send_queued(session, message_id)
            assert session.get(EmailMessage, message_id).attempts == attempt
            if attempt < mail.MAX_ATTEMPTS:
                assert mail.unsent_ids(session) == [message_id]
    with new_session() as session:
        assert mail.unsent_ids(session) == []  # given up: visible as failed in the mailbox
        assert session.get(EmailMessage, message_id).status == "failed"


def test_the_sweep_picks_up_queued_emails_whose_job_was_lost(db, redis_client):
    message_id = queue()
    with new_session() as session:
        assert mail.unsent_ids(session) == []  # its job is still due
        message = session.get(EmailMessage, message_id)
        message.created_at = utcnow() - timedelta(minutes=5)
        session.add(message)
        session.commit()
        assert mail.unsent_ids(session) == [message_id]
