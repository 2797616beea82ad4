"""Accounts over the API: every route's happy path and its refusals, attacked."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from sqlalchemy import select

from saasapp.accounts import access_tokens
from saasapp.core.models import AuditEntry, PlatformEvent
from saasapp.db import new_session
from saasapp.settings import get_settings
from tests.utils.accounts import PASSWORD, bearer, login, register, register_verified, signed_in
from tests.utils.api import assert_error_shape


def audit_actions():
    with new_session() as session:
        return [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def event_types():
    with new_session() as session:
        return [e.type for e in session.scalars(select(PlatformEvent).order_by(PlatformEvent.id))]


# Registration and verification


def test_register_emails_a_code_and_verification_emits_events(client, mailbox):
    response = register(client, "Ada@Example.com", display_name="Ada", referral_code="FRIEND1")
    assert response.status_code == 201
    user = response.json()
    assert user["email"] == "ada@example.com" and user["email_verified"] is False
    assert user["role"] == "user"
    assert "password" not in response.text and "hash" not in response.text
    mailbox.deliver()
    email = mailbox.last_to("ada@example.com")
    code = mailbox.code_for("ada@example.com")
    assert code in email["subject"]
    assert "/verify?email=ada%40example.com&code=" + code in email["body"]
    verified = client.post("/api/v1/auth/verify", json={"email": "ada@example.com", "code": code})
    assert verified.status_code == 200 and verified.json()["email_verified"] is True
    assert event_types() == ["user.registered", "user.verified"]
    assert audit_actions() == ["registered", "email_verified"]


def test_duplicate_email_is_409_without_details(client, mailbox):
    register(client, "bob@example.com")
    response = register(client, "BOB@example.com", password="another long phrase")
    error = assert_error_shape(response, 409, "email_taken")
    assert "bob@example.com" not in error["message"]


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short", "at least 10"),
        ("password123", "too common"),
        ("aaaaaaaaaaaa", "too common or too simple"),
        ("carol-secret-words", "email"),
    ],
)
def test_weak_passwords_are_refused_with_a_clear_reason(client, password, fragment):
    response = register(client, "carol@example.com", password=password)
    error = assert_error_shape(response, 400, "weak_password")
    assert fragment in error["message"]


def test_sql_looking_and_oversized_inputs_are_refused_cleanly(client):
    sqlish = register(client, "' OR 1=1; DROP TABLE user_account; --")
    assert_error_shape(sqlish, 400, "invalid_email")
    huge = register(client, "dan@example.com", display_name="x" * 10_000)
    assert_error_shape(huge, 422, "validation_error")
    too_long = register(client, "dan@example.com", display_name="x" * 81)
    assert_error_shape(too_long, 400, "invalid_display_name")
    huge_password = register(client, "dan@example.com", password="y" * 10_000)
    assert_error_shape(huge_password, 422, "validation_error")
    # Still a working database afterwards.
    assert register(client, "dan@example.com").status_code == 201


def test_wrong_verification_codes_are_limited(client, mailbox):
    register(client, "erin@example.com")
    mailbox.deliver()
    code = mailbox.code_for("erin@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/verify", json={"email": "erin@example.com", "code": wrong}
        )
        assert_error_shape(response, 401, "invalid_code")
    response = client.post("/api/v1/auth/verify", json={"email": "erin@example.com", "code": code})
    assert_error_shape(response, 429, "code_locked")


# Password sign-in and tokens


def test_login_requires_a_verified_email(client, mailbox):
    register(client, "fay@example.com")
    assert_error_shape(login(client, "fay@example.com"), 403, "email_not_verified")


def test_login_returns_a_token_pair_that_opens_me(client, mailbox):
    register_verified(client, mailbox, "gus@example.com")
    response = login(client, "gus@example.com")
    assert response.status_code == 200
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == 15 * 60
    me = client.get("/api/v1/me", headers=bearer(pair["access_token"]))
    assert me.status_code == 200 and me.json()["email"] == "gus@example.com"
    assert "login_ok" in audit_actions()


def test_wrong_password_and_unknown_account_look_the_same(client, mailbox):
    register_verified(client, mailbox, "hal@example.com")
    wrong = login(client, "hal@example.com", "not the password")
    unknown = login(client, "nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"]
    assert audit_actions().count("login_failed") == 2


def test_me_without_credentials_is_401(client):
    assert_error_shape(client.get("/api/v1/me"), 401, "not_authenticated")


def _claims(user_id: int, **overrides):
    settings = get_settings()
    now = int(time.time())
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user_id),
        "iat": now,
        "exp": now + 600,
        "typ": "access",
    }
    claims.update(overrides)
    return claims


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_tampered_tokens_are_refused(client, mailbox):
    pair = signed_in(client, mailbox, "ivy@example.com")
    user_id = client.get("/api/v1/me", headers=bearer(pair["access_token"])).json()["id"]
    header, payload, signature = pair["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))

    changed = f"{header}.{_b64({**claims, 'sub': str(user_id + 1)})}.{signature}"
    alg_none = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    rsa_key = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    rs256 = jwt.encode({"alg": "RS256"}, _claims(user_id), rsa_key, algorithms=["RS256"])
    # HS/RS confusion: an HMAC token keyed with a public key instead of the app secret.
    public_pem = rsa_key.as_pem(private=False)
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(_claims(user_id))}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    hs_with_public = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    other_secret = jwt.encode({"alg": "HS256"}, _claims(user_id), OctKey.import_key("z" * 40))
    expired = jwt.encode(
        {"alg": "HS256"}, _claims(user_id, iat=1000, exp=2000), access_tokens._key()
    )
    wrong_audience = jwt.encode(
        {"alg": "HS256"}, _claims(user_id, aud="someone-else"), access_tokens._key()
    )
    wrong_issuer = jwt.encode(
        {"alg": "HS256"}, _claims(user_id, iss="https://evil.example"), access_tokens._key()
    )
    not_access = jwt.encode({"alg": "HS256"}, _claims(user_id, typ="refresh"), access_tokens._key())
    for token in [
        changed, alg_none, rs256, hs_with_public, other_secret, expired,
        wrong_audience, wrong_issuer, not_access, "garbage", "",
    ]:  # fmt: skip
        response = client.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 401, token
    # The genuine one still works.
    assert client.get("/api/v1/me", headers=bearer(pair["access_token"])).status_code == 200


def test_refresh_rotates_and_reuse_revokes_the_family(client, mailbox):
    first = signed_in(client, mailbox, "jon@example.com")
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    # The spent token comes back (stolen?): the whole family dies, the new one included.
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_error_shape(reuse, 401, "invalid_refresh_token")
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert_error_shape(after, 401, "invalid_refresh_token")
    assert "refresh_reused" in audit_actions()
    unknown = client.post("/api/v1/auth/refresh", json={"refresh_token": "rt_made-up"})
    assert_error_shape(unknown, 401, "invalid_refresh_token")


def test_lockout_after_repeated_failures(client, mailbox, redis_client):
    register_verified(client, mailbox, "kim@example.com")
    for _ in range(5):
        assert login(client, "kim@example.com", "wrong password!").status_code == 401
    response = login(client, "kim@example.com")  # even the right password
    error = assert_error_shape(response, 429, "account_locked")
    assert 60 <= int(response.headers["retry-after"]) <= 15 * 60
    assert "locked" in error["message"]
    assert "lockout" in audit_actions()


def test_login_is_rate_limited_per_ip(client, mailbox, redis_client):
    codes = [login(client, f"user{i}@example.com", "whatever pass").status_code for i in range(21)]
    assert codes[:20] == [401] * 20
    assert codes[20] == 429


def test_logout_ends_the_refresh_family_and_logout_all_ends_access_tokens(client, mailbox):
    pair = signed_in(client, mailbox, "lea@example.com")
    other = login(client, "lea@example.com").json()
    out = client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": pair["refresh_token"]},
        headers=bearer(pair["access_token"]),
    )
    assert out.status_code == 200
    gone = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert gone.status_code == 401
    assert client.get("/api/v1/me", headers=bearer(other["access_token"])).status_code == 200
    everywhere = client.post("/api/v1/auth/logout-all", headers=bearer(other["access_token"]))
    assert everywhere.status_code == 200
    assert client.get("/api/v1/me", headers=bearer(other["access_token"])).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert again.status_code == 401
    # Signing in again works.
    assert login(client, "lea@example.com").status_code == 200


# Passwordless codes


def test_otp_sign_in(client, mailbox):
    register_verified(client, mailbox, "max@example.com")
    mailbox.clear()
    asked = client.post("/api/v1/auth/otp/request", json={"email": "max@example.com"})
    unknown = client.post("/api/v1/auth/otp/request", json={"email": "ghost@example.com"})
    assert asked.json() == unknown.json()  # no account enumeration
    mailbox.deliver()
    assert len(mailbox.messages) == 1
    code = mailbox.code_for("max@example.com")
    response = client.post(
        "/api/v1/auth/otp/verify", json={"email": "max@example.com", "code": code}
    )
    assert response.status_code == 200 and response.json()["access_token"]
    again = client.post("/api/v1/auth/otp/verify", json={"email": "max@example.com", "code": code})
    assert_error_shape(again, 401, "invalid_code")  # single use


def test_otp_requests_are_limited_per_email(client, mailbox, redis_client):
    codes = [
        client.post("/api/v1/auth/otp/request", json={"email": "ned@example.com"}).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_expired_otp_is_refused(client, mailbox, monkeypatch):
    register_verified(client, mailbox, "oli@example.com")
    monkeypatch.setattr(get_settings(), "otp_minutes", 0)
    client.post("/api/v1/auth/otp/request", json={"email": "oli@example.com"})
    mailbox.deliver()
    code = mailbox.code_for("oli@example.com")
    response = client.post(
        "/api/v1/auth/otp/verify", json={"email": "oli@example.com", "code": code}
    )
    assert_error_shape(response, 401, "invalid_code")


# Passwords


def test_forgot_and_reset_password(client, mailbox):
    pair = signed_in(client, mailbox, "pam@example.com")
    mailbox.clear()
    client.post("/api/v1/auth/password/forgot", json={"email": "pam@example.com"})
    mailbox.deliver()
    link = mailbox.link_for("pam@example.com")
    token = link.split("token=")[1]
    weak = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": "short"}
    )
    assert_error_shape(weak, 400, "weak_password")
    ok = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": "a brand new phrase"}
    )
    assert ok.status_code == 200
    reused = client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": "another new phrase"}
    )
    assert_error_shape(reused, 401, "invalid_token")
    assert login(client, "pam@example.com").status_code == 401
    assert login(client, "pam@example.com", "a brand new phrase").status_code == 200
    assert client.get("/api/v1/me", headers=bearer(pair["access_token"])).status_code == 401


def test_change_password_needs_the_current_one(client, mailbox):
    pair = signed_in(client, mailbox, "quin@example.com")
    headers = bearer(pair["access_token"])
    bad = client.post(
        "/api/v1/me/password",
        json={"current_password": "nope", "new_password": "fresh long phrase"},
        headers=headers,
    )
    assert_error_shape(bad, 401, "invalid_credentials")
    good = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "fresh long phrase"},
        headers=headers,
    )
    assert good.status_code == 200
    assert login(client, "quin@example.com", "fresh long phrase").status_code == 200
    assert "password_changed" in audit_actions()


def test_passwords_longer_than_72_bytes_count_in_full(client, mailbox):
    long_password = "é" * 40 + " tail-A"  # 87 bytes: past bcrypt's own limit
    register_verified(client, mailbox, "rae@example.com", password=long_password)
    assert login(client, "rae@example.com", long_password).status_code == 200
    assert login(client, "rae@example.com", "é" * 40 + " tail-B").status_code == 401


# API keys


def test_api_keys_are_shown_once_work_both_ways_and_can_be_revoked(client, mailbox):
    pair = signed_in(client, mailbox, "sam@example.com")
    headers = bearer(pair["access_token"])
    created = client.post("/api/v1/me/api-keys", json={"name": "CI"}, headers=headers)
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("sk_")
    listed = client.get("/api/v1/me/api-keys", headers=headers).json()
    assert [k["name"] for k in listed["items"]] == ["CI"] and key not in json.dumps(listed)
    assert listed["next_cursor"] is None
    assert client.get("/api/v1/me", headers=bearer(key)).json()["email"] == "sam@example.com"
    assert client.get("/api/v1/me", headers={"X-API-Key": key}).status_code == 200
    key_id = created.json()["id"]
    assert client.delete(f"/api/v1/me/api-keys/{key_id}", headers=headers).status_code == 204
    assert_error_shape(client.get("/api/v1/me", headers=bearer(key)), 401, "invalid_api_key")
    assert_error_shape(client.get("/api/v1/me", headers={"X-API-Key": key}), 401, "invalid_api_key")
    assert {"api_key_created", "api_key_revoked"} <= set(audit_actions())


def test_another_users_api_key_cannot_be_revoked(client, mailbox):
    owner = signed_in(client, mailbox, "tia@example.com")
    intruder = signed_in(client, mailbox, "uma@example.com")
    key_id = client.post(
        "/api/v1/me/api-keys", json={"name": "mine"}, headers=bearer(owner["access_token"])
    ).json()["id"]
    response = client.delete(
        f"/api/v1/me/api-keys/{key_id}", headers=bearer(intruder["access_token"])
    )
    assert_error_shape(response, 404, "not_found")


# Admin


def test_admin_routes_refuse_non_admins_and_role_escalation(client, mailbox):
    user = signed_in(client, mailbox, "vic@example.com")
    headers = bearer(user["access_token"])
    me = client.get("/api/v1/me", headers=headers).json()
    assert_error_shape(client.get("/api/v1/admin/users", headers=headers), 403, "forbidden")
    escalate = client.patch(
        f"/api/v1/admin/users/{me['id']}", json={"role": "admin"}, headers=headers
    )
    assert_error_shape(escalate, 403, "forbidden")
    assert client.get("/api/v1/me", headers=headers).json()["role"] == "user"
    assert_error_shape(client.get("/api/v1/admin/audit", headers=headers), 403, "forbidden")
    assert_error_shape(client.get("/api/v1/admin/users"), 401, "not_authenticated")


def test_admin_searches_users_changes_roles_and_bans(client, mailbox):
    admin = signed_in(client, mailbox, "admin@example.com")  # listed in ADMIN_EMAILS
    headers = bearer(admin["access_token"])
    assert client.get("/api/v1/me", headers=headers).json()["role"] == "admin"
    member = signed_in(client, mailbox, "wes@example.com")
    found = client.get("/api/v1/admin/users", params={"q": "WES"}, headers=headers).json()
    assert [u["email"] for u in found["items"]] == ["wes@example.com"]
    wes_id = found["items"][0]["id"]
    promoted = client.patch(
        f"/api/v1/admin/users/{wes_id}", json={"role": "promoter"}, headers=headers
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "promoter"
    invalid = client.patch(f"/api/v1/admin/users/{wes_id}", json={"role": "god"}, headers=headers)
    assert_error_shape(invalid, 400, "invalid_role")
    admin_id = client.get("/api/v1/me", headers=headers).json()["id"]
    self_change = client.patch(
        f"/api/v1/admin/users/{admin_id}", json={"role": "user"}, headers=headers
    )
    assert_error_shape(self_change, 409, "cannot_change_self")
    banned = client.patch(f"/api/v1/admin/users/{wes_id}", json={"banned": True}, headers=headers)
    assert banned.json()["banned"] is True
    assert client.get("/api/v1/me", headers=bearer(member["access_token"])).status_code == 401
    assert_error_shape(login(client, "wes@example.com"), 403, "account_banned")
    audit = client.get("/api/v1/admin/audit", params={"action": "role_changed"}, headers=headers)
    entry = audit.json()["items"][0]
    assert entry["detail"] == {"before": "user", "after": "promoter"}
    assert entry["actor_id"] == admin_id
    missing = client.patch("/api/v1/admin/users/999999", json={"banned": True}, headers=headers)
    assert_error_shape(missing, 404, "not_found")


def test_admin_user_list_pages_with_a_cursor(client, mailbox):
    admin = signed_in(client, mailbox, "admin@example.com")
    headers = bearer(admin["access_token"])
    for i in range(3):
        register(client, f"page{i}@example.com")
    first = client.get("/api/v1/admin/users", params={"limit": 2}, headers=headers).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get(
        "/api/v1/admin/users", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
    ).json()
    emails = [u["email"] for u in first["items"] + rest["items"]]
    assert len(emails) == len(set(emails)) == 4
