"""Accounts: registration, email verification, one-time codes, password sign-in and resets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlmodel import Session

from saasapp.accounts import passwords
from saasapp.accounts.models import CodePurpose, OneTimeCode, Role, User
from saasapp.core import audit, mail, rate_limit
from saasapp.core.audit import AuditAction
from saasapp.core.columns import utcnow
from saasapp.core.crypto import code_hash, new_token, same, token_hash
from saasapp.core.errors import Conflict, Forbidden, ServiceError, TooManyAttempts, Unauthorized
from saasapp.core.events import emit
from saasapp.settings import get_settings

CODE_ATTEMPTS = 5
GENERIC_LOGIN_ERROR = "Email or password is incorrect."


@dataclass(frozen=True)
class Client:
    """Where a request comes from, for limits and the audit log."""

    ip: str = ""
    user_agent: str = ""


def normalize_email(email: str) -> str:
    """Lower-cased, syntax-checked address; raises ServiceError(invalid_email)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ServiceError("invalid_email", f"Invalid email address: {exc}") from exc


def clean_display_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > 80:
        raise ServiceError("invalid_display_name", "Display name: at most 80 characters.")
    return name


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.lower())).first()


def register(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str = "",
    referral_code: str = "",
    client: Client = Client(),
) -> User:
    """Create an account and email a verification code; commits."""
    email = normalize_email(email)
    display_name = clean_display_name(display_name)
    try:
        passwords.check_strength(password, email=email, display_name=display_name)
    except passwords.WeakPassword as exc:
        raise ServiceError("weak_password", str(exc), field="password") from exc
    if find_user(session, email) is not None:
        raise Conflict("email_taken", "An account with this email already exists. Sign in instead.")
    role = Role.ADMIN if email in get_settings().admin_email_set else Role.USER
    user = User(
        email=email,
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role,
        referral_code=referral_code.strip()[:40],
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    audit.record(session, AuditAction.REGISTERED, user_id=user.id, ip=client.ip)
    emit(session, "user.registered", {"user_id": user.id, "referral_code": user.referral_code},
         actor_id=user.id, aggregate=f"user:{user.id}")  # fmt: skip
    send_code(session, user, CodePurpose.VERIFY)
    session.commit()
    return user


def _new_code(session: Session, user: User, purpose: CodePurpose, minutes: int) -> tuple[str, str]:
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
    code, link_token = _new_code(session, user, purpose, minutes)
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


def _check_code(session: Session, user: User, purpose: CodePurpose, code: str) -> None:
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


def verify_email(session: Session, *, email: str, code: str, client: Client = Client()) -> User:
    user = find_user(session, normalize_email(email))
    if user is None:
        raise Unauthorized("invalid_code", "This code is wrong or has expired. Ask for a new one.")
    if user.email_verified_at is not None:
        return user
    _check_code(session, user, CodePurpose.VERIFY, code)
    user.email_verified_at = utcnow()
    session.add(user)
    audit.record(session, AuditAction.EMAIL_VERIFIED, user_id=user.id, ip=client.ip)
    emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
         aggregate=f"user:{user.id}")  # fmt: skip
    session.commit()
    return user


def resend_verification(session: Session, *, email: str) -> None:
    """Send a new verification code if the account exists and is unverified (silent otherwise)."""
    user = find_user(session, normalize_email(email))
    if user is not None and user.email_verified_at is None:
        send_code(session, user, CodePurpose.VERIFY)
        session.commit()


def request_login_code(session: Session, *, email: str) -> None:
    """Email a sign-in code; says nothing about whether the account exists."""
    email = normalize_email(email)
    rate_limit.enforce("3/10minutes", "otp-request", email)
    user = find_user(session, email)
    if user is not None and not user.banned:
        send_code(session, user, CodePurpose.LOGIN)
        session.commit()


def login_with_code(session: Session, *, email: str, code: str, client: Client = Client()) -> User:
    email = normalize_email(email)
    _refuse_if_locked(email)
    user = find_user(session, email)
    try:
        if user is None:
            raise Unauthorized("invalid_code", "This code is wrong or has expired.")
        _check_code(session, user, CodePurpose.LOGIN, code)
    except Unauthorized:
        _count_failure(session, email, user, client, method="code")
        raise
    if user.email_verified_at is None:  # a code received by email proves the address
        user.email_verified_at = utcnow()
        emit(session, "user.verified", {"user_id": user.id}, actor_id=user.id,
             aggregate=f"user:{user.id}")  # fmt: skip
    return _signed_in(session, user, client, method="code")


def authenticate(
    session: Session, *, email: str, password: str, totp_code: str = "", client: Client = Client()
) -> User:
    """Check a password sign-in (and the TOTP code when 2FA is on); commits the audit trail."""
    from saasapp.accounts import two_factor

    try:
        email = normalize_email(email)
    except ServiceError as exc:
        raise Unauthorized("invalid_credentials", GENERIC_LOGIN_ERROR) from exc
    _refuse_if_locked(email)
    user = find_user(session, email)
    if not passwords.verify_password(password, user.password_hash if user else None):
        _count_failure(session, email, user, client, method="password")
        raise Unauthorized("invalid_credentials", GENERIC_LOGIN_ERROR)
    if user.totp_enabled:
        if not totp_code:
            raise Unauthorized("totp_required", "Enter the code from your authenticator app.")
        if not two_factor.check(session, user, totp_code):
            _count_failure(session, email, user, client, method="totp")
            raise Unauthorized("invalid_totp", "That authenticator code is not valid.")
    if user.email_verified_at is None:
        raise Forbidden(
            "email_not_verified", "Verify your email first: enter the code we sent you."
        )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return _signed_in(session, user, client, method="password")


def _signed_in(session: Session, user: User, client: Client, *, method: str) -> User:
    if user.banned:
        raise Forbidden("account_banned", "This account is suspended.")
    user.last_login_at = utcnow()
    session.add(user)
    audit.record(session, AuditAction.LOGIN_OK, user_id=user.id, ip=client.ip, method=method)
    session.commit()
    rate_limit.reset(_lockout_rule(), "login-failures", user.email)
    return user


def _lockout_rule() -> str:
    settings = get_settings()
    return f"{settings.login_failures_before_lockout}/{settings.lockout_minutes}minutes"


def _refuse_if_locked(email: str) -> None:
    state = rate_limit.peek(_lockout_rule(), "login-failures", email)
    if not state.allowed:
        raise TooManyAttempts(
            "account_locked",
            "Too many failed sign-ins: this account is locked for "
            f"{max(1, state.retry_after // 60)} minute(s). Try again later or reset your password.",
            retry_after=state.retry_after,
        )


def _count_failure(
    session: Session, email: str, user: User | None, client: Client, *, method: str
) -> None:
    session.rollback()
    result = rate_limit.hit(_lockout_rule(), "login-failures", email)
    user_id = user.id if user else None
    audit.record(session, AuditAction.LOGIN_FAILED, user_id=user_id, ip=client.ip,
                 method=method, email=email)  # fmt: skip
    if result.remaining == 0:
        audit.record(session, AuditAction.LOCKOUT, user_id=user_id, ip=client.ip, email=email)
    session.commit()


def request_password_reset(session: Session, *, email: str) -> None:
    """Email a reset link; says nothing about whether the account exists."""
    email = normalize_email(email)
    rate_limit.enforce("3/10minutes", "reset-request", email)
    user = find_user(session, email)
    if user is not None and not user.banned:
        send_code(session, user, CodePurpose.RESET)
        session.commit()


def reset_password(session: Session, *, token: str, new_password: str, client: Client = Client()):
    entry = session.scalars(
        select(OneTimeCode)
        .where(
            OneTimeCode.link_token_hash == token_hash(token),
            OneTimeCode.purpose == CodePurpose.RESET.value,
            OneTimeCode.used_at.is_(None),
        )
        .with_for_update()
    ).first()
    if entry is None or entry.expires_at <= utcnow():
        raise Unauthorized("invalid_token", "This reset link is invalid or expired. Ask again.")
    user = session.get(User, entry.user_id)
    _set_password(session, user, new_password)
    entry.used_at = utcnow()
    session.add(entry)
    if user.email_verified_at is None:  # the link arrived by email
        user.email_verified_at = utcnow()
    audit.record(session, AuditAction.PASSWORD_RESET, user_id=user.id, ip=client.ip)
    session.commit()
    rate_limit.reset(_lockout_rule(), "login-failures", user.email)
    return user


def change_password(
    session: Session, user: User, *, current_password: str, new_password: str, client=Client()
) -> None:
    if user.password_hash and not passwords.verify_password(current_password, user.password_hash):
        raise Unauthorized("invalid_credentials", "The current password is incorrect.")
    _set_password(session, user, new_password)
    audit.record(session, AuditAction.PASSWORD_CHANGED, user_id=user.id, ip=client.ip)
    session.commit()


def _set_password(session: Session, user: User, new_password: str) -> None:
    """New hash, and every other session and token of the user ends."""
    from saasapp.accounts import sessions

    try:
        passwords.check_strength(new_password, email=user.email, display_name=user.display_name)
    except passwords.WeakPassword as exc:
        raise ServiceError("weak_password", str(exc), field="new_password") from exc
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    session.add(user)
    sessions.revoke_everything(session, user)


def update_profile(session: Session, user: User, *, display_name: str) -> User:
    user.display_name = clean_display_name(display_name)
    session.add(user)
    session.commit()
    return user
