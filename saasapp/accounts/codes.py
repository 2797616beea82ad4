"""One-time codes (6 digits plus a link token) emailed to verify, sign in or reset a password."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlmodel import Session

from saasapp.accounts.models import CodePurpose, OneTimeCode, User
from saasapp.core import mail
from saasapp.core.columns import utcnow
from saasapp.core.crypto import code_hash, new_token, same, token_hash
from saasapp.core.errors import TooManyAttempts, Unauthorized
from saasapp.settings import get_settings

CODE_ATTEMPTS = 5


def new_code(session: Session, user: User, purpose: CodePurpose, minutes: int) -> tuple[str, str]:
    """Replace the user's open codes of ``purpose`` with a new 6-digit code and link token."""
    now = utcnow()
    session.execute(
        update(OneTimeCode)
        .where(
            OneTimeCode.user_id == user.id,
            OneTimeCode.purpose == purpose.value,
            OneTimeCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    link_token = new_token(nbytes=24)
    session.add(
        OneTimeCode(
            user_id=user.id,
            purpose=purpose.value,
            code_hash=code_hash(code),
            link_token_hash=token_hash(link_token),
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    return code, link_token


def send_code(session: Session, user: User, purpose: CodePurpose) -> None:
    settings = get_settings()
    minutes = settings.reset_minutes if purpose == CodePurpose.RESET else settings.otp_minutes
    code, link_token = new_code(session, user, purpose, minutes)
    base = settings.public_url.rstrip("/")
    if purpose == CodePurpose.VERIFY:
        link = f"{base}/verify?{urlencode({'email': user.email, 'code': code})}"
        subject = f"{code} is your saasapp verification code"
        body = (
            f"Welcome to saasapp!\n\nYour verification code is {code}.\n"
            f"Or open this link: {link}\n\nIt expires in {minutes} minutes."
        )
    elif purpose == CodePurpose.LOGIN:
        subject = f"{code} is your saasapp sign-in code"
        body = (
            f"Your sign-in code is {code}. It expires in {minutes} minutes.\n\n"
            "If you did not ask for it, ignore this email."
        )
    else:
        link = f"{base}/reset?{urlencode({'token': link_token})}"
        subject = "Reset your saasapp password"
        body = (
            f"Open this link to choose a new password:\n{link}\n\n"
            f"It expires in {minutes} minutes. If you did not ask for it, ignore this email."
        )
    mail.queue_email(session, to=user.email, subject=subject, body=body)


def check_code(session: Session, user: User, purpose: CodePurpose, code: str) -> None:
    """Consume a valid code or raise; wrong guesses count against the code."""
    entry = session.scalars(
        select(OneTimeCode)
        .where(
            OneTimeCode.user_id == user.id,
            OneTimeCode.purpose == purpose.value,
            OneTimeCode.used_at.is_(None),
        )
        .order_by(OneTimeCode.id.desc())
        .with_for_update()
    ).first()
    invalid = Unauthorized("invalid_code", "This code is wrong or has expired. Ask for a new one.")
    if entry is None or entry.expires_at <= utcnow():
        raise invalid
    if entry.attempts >= CODE_ATTEMPTS:
        raise TooManyAttempts(
            "code_locked", "Too many wrong codes. Ask for a new one.", retry_after=60
        )
    if not same(entry.code_hash, code_hash(code.strip())):
        entry.attempts += 1
        session.add(entry)
        session.commit()
        raise invalid
    entry.used_at = utcnow()
    session.add(entry)
