"""/api/v1/auth: registration, verification, sign-in (password or emailed code), tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, Field

from saasapp.accounts import password_reset as password_changes
from saasapp.accounts import registration, sessions, sign_in
from saasapp.http.deps import CallerClient, CurrentUser, DbSession, rate_limit
from saasapp.http.errors import error_responses
from saasapp.http.schemas import (
    CodeField,
    EmailField,
    Message,
    PasswordField,
    TokenPairOut,
    UserOut,
)

router = APIRouter(prefix="/auth", tags=["auth"])

# Per-IP limits; per-account failures are counted by the accounts service (lockout).
_auth_limit = Depends(rate_limit("30/minute", "auth-ip"))
_login_limit = Depends(rate_limit("20/minute", "login-ip"))

# What the account routes refuse besides their rate limits.
_INVALID = {400: "invalid_email, weak_password or another refused value; see error.code."}
_SIGN_IN = error_responses(
    400,
    401,
    403,
    described={
        **_INVALID,
        401: "invalid_credentials, invalid_code, totp_required or invalid_totp.",
        403: "account_banned, or email_not_verified.",
    },
)
# Secrets we issued (reset links, refresh tokens) are far shorter than this.
TokenField = Field(min_length=1, max_length=512)


class RegisterIn(BaseModel):
    email: str = EmailField
    password: str = PasswordField
    display_name: str = Field("", max_length=200)
    referral_code: str = Field("", max_length=64)


class VerifyIn(BaseModel):
    email: str = EmailField
    code: str = CodeField


class EmailIn(BaseModel):
    email: str = EmailField


class LoginIn(BaseModel):
    email: str = EmailField
    password: str = PasswordField
    totp_code: str = Field("", max_length=32)


class RefreshIn(BaseModel):
    refresh_token: str = TokenField


class ResetIn(BaseModel):
    token: str = TokenField
    new_password: str = PasswordField


def _pair(pair: sessions.TokenPair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in
    )


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    dependencies=[_auth_limit],
    responses=error_responses(
        400, 409, described={**_INVALID, 409: "email_taken: sign in instead."}
    ),
)
def register(body: RegisterIn, session: DbSession, client: CallerClient) -> UserOut:
    """Create an account; a 6-digit code and a link are emailed to verify the address."""
    user = registration.register(
        session,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        referral_code=body.referral_code,
        client=client,
    )
    return UserOut.of(user)


@router.post(
    "/verify",
    dependencies=[_auth_limit],
    responses=error_responses(400, 401, described={**_INVALID, 401: "invalid_code."}),
)
def verify(body: VerifyIn, session: DbSession, client: CallerClient) -> UserOut:
    return UserOut.of(
        registration.verify_email(session, email=body.email, code=body.code, client=client)
    )


@router.post(
    "/verify/resend", dependencies=[_auth_limit], responses=error_responses(400, described=_INVALID)
)
def resend_verification(body: EmailIn, session: DbSession) -> Message:
    registration.resend_verification(session, email=body.email)
    return Message(message="If the account exists and is not verified, a new code is on its way.")


@router.post(
    "/otp/request", dependencies=[_auth_limit], responses=error_responses(400, described=_INVALID)
)
def otp_request(body: EmailIn, session: DbSession) -> Message:
    """Email a sign-in code (the answer is the same whether the account exists or not)."""
    sign_in.request_login_code(session, email=body.email)
    return Message(message="If an account exists for this email, a sign-in code is on its way.")


@router.post("/otp/verify", dependencies=[_login_limit], responses=_SIGN_IN)
def otp_verify(body: VerifyIn, session: DbSession, client: CallerClient) -> TokenPairOut:
    user = sign_in.login_with_code(session, email=body.email, code=body.code, client=client)
    return _pair(sessions.issue_token_pair(session, user))


@router.post("/login", dependencies=[_login_limit], responses=_SIGN_IN)
def login(body: LoginIn, session: DbSession, client: CallerClient) -> TokenPairOut:
    user = sign_in.authenticate(
        session, email=body.email, password=body.password, totp_code=body.totp_code, client=client
    )
    return _pair(sessions.issue_token_pair(session, user))


@router.post(
    "/refresh",
    dependencies=[_auth_limit],
    responses=error_responses(
        401, 403, described={401: "invalid_refresh_token.", 403: "account_banned."}
    ),
)
def refresh(body: RefreshIn, session: DbSession, client: CallerClient) -> TokenPairOut:
    """A new token pair; the refresh token used is spent (reusing it revokes its family)."""
    return _pair(sessions.rotate_refresh_token(session, body.refresh_token, ip=client.ip))


@router.post("/logout")
def logout(body: RefreshIn, user: CurrentUser, session: DbSession) -> Message:
    sessions.revoke_refresh_token(session, user, body.refresh_token)
    return Message(message="Signed out.")


@router.post("/logout-all")
def logout_all(user: CurrentUser, session: DbSession, client: CallerClient) -> Message:
    """End every session, refresh token and access token of the account."""
    sessions.sign_out_everywhere(session, user, ip=client.ip)
    return Message(message="Signed out everywhere.")


@router.post(
    "/password/forgot",
    dependencies=[_auth_limit],
    responses=error_responses(400, described=_INVALID),
)
def password_forgot(body: EmailIn, session: DbSession) -> Message:
    password_changes.request_password_reset(session, email=body.email)
    return Message(message="If an account exists for this email, a reset link is on its way.")


@router.post(
    "/password/reset",
    dependencies=[_auth_limit],
    responses=error_responses(400, 401, described={**_INVALID, 401: "invalid_token."}),
)
def password_reset(body: ResetIn, session: DbSession, client: CallerClient) -> Message:
    password_changes.reset_password(
        session, token=body.token, new_password=body.new_password, client=client
    )
    return Message(message="Password changed. Sign in with the new password.")
