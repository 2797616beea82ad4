"""OAuth sign-in against a real provider on 127.0.0.1: the whole redirect dance over HTTP, with
state and PKCE checked by both sides."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from saasapp.accounts import oauth, sessions
from saasapp.accounts.models import OAuthAccount, User
from saasapp.core.models import AuditEntry, PlatformEvent
from saasapp.db import new_session
from saasapp.redis_conn import get_redis
from saasapp.settings import get_settings
from tests.utils.accounts import bearer, login, register, register_verified, signed_in
from tests.utils.api import assert_error_shape
from tests.utils.oauth_provider import Account, ProviderServer, s256


@pytest.fixture(scope="session")
def provider_server():
    server = ProviderServer().start()
    yield server
    server.stop()


@pytest.fixture
def provider(provider_server, monkeypatch):
    """The stand-in provider, serving as Google, GitHub and X for this test."""
    stand_in = provider_server.provider
    stand_in.reset()
    settings = get_settings()
    for name, value in stand_in.settings("google", "github", "x").items():
        monkeypatch.setattr(settings, name, value)
    return stand_in


# The flow, step by step


def start(client, provider_name, next_path=None, headers=None):
    """Our login route; returns the provider URL it redirects to."""
    params = {"next": next_path} if next_path is not None else {}
    response = client.get(
        f"/api/v1/auth/oauth/{provider_name}/login",
        params=params,
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text
    assert response.headers["cache-control"] == "no-store"
    return response.headers["location"]


def consent(provider, url, provider_name="google"):
    """The browser at the provider (real HTTP); returns the query it brings back to us."""
    assert url.startswith(f"{provider.base_url}/authorize?")
    response = httpx.get(url, follow_redirects=False, trust_env=False)
    assert response.status_code == 302
    back = urlsplit(response.headers["location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == oauth.callback_url(provider_name)
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def callback(client, provider_name, query):
    return client.get(
        f"/api/v1/auth/oauth/{provider_name}/callback", params=query, follow_redirects=False
    )


def sign_in_with(client, provider, provider_name="google", next_path=None):
    url = start(client, provider_name, next_path)
    return callback(client, provider_name, consent(provider, url, provider_name))


def landed(response):
    """(path, query) of where our callback sent the browser."""
    assert response.status_code == 302, response.text
    target = urlsplit(response.headers["location"])
    assert not target.scheme and not target.netloc  # always on this site
    return target.path, {k: v[0] for k, v in parse_qs(target.query).items()}


def signed_in_user(response) -> User:
    path, query = landed(response)
    assert path == "/auth/complete"
    with new_session() as session:
        user = sessions.user_for_browser_session(session, query["token"])
    assert user is not None
    return user


def refused(response) -> str:
    path, query = landed(response)
    assert path == "/login" and set(query) == {"error"}
    return query["error"]


def rows(model, *where):
    with new_session() as session:
        return list(session.scalars(select(model).where(*where).order_by(model.id)))


def access_token_for(user_id: int) -> dict:
    with new_session() as session:
        user = session.get(User, user_id)
        return bearer(sessions.issue_token_pair(session, user).access_token)


# Sign-in and sign-up


def test_a_new_google_user_gets_a_verified_account_and_a_browser_session(client, provider):
    provider.account = Account(subject="g-100", email="New.User@Example.com", name="New User")
    response = sign_in_with(client, provider, next_path="/tools?tab=mine")
    user = signed_in_user(response)
    assert landed(response)[1]["next"] == "/tools?tab=mine"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert user.email == "new.user@example.com"
    assert user.email_verified_at is not None and user.password_hash is None
    assert user.display_name == "New User" and user.role == "user"
    [account] = rows(OAuthAccount)
    assert (account.user_id, account.provider, account.subject) == (user.id, "google", "g-100")
    assert [e.type for e in rows(PlatformEvent)] == ["user.registered", "user.verified"]
    actions = [e.action for e in rows(AuditEntry)]
    assert actions == ["registered", "email_verified", "provider_linked", "login_ok"]
    # What the provider saw: a state, S256 PKCE, the scopes, then the matching verifier.
    [authorize] = provider.authorize_requests
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["state"]) >= 32
    assert authorize["scope"] == "openid email profile"
    [attempt] = provider.token_attempts
    assert (attempt.outcome, attempt.client_auth) == ("ok", "basic")
    assert s256(attempt.code_verifier) == authorize["code_challenge"]
    assert get_redis().keys("oauth:state:*") == []  # the state is spent


def test_admin_emails_become_admins_like_registration(client, provider):
    provider.account = Account(subject="g-admin", email="admin@example.com")
    assert signed_in_user(sign_in_with(client, provider)).role == "admin"


def test_a_second_sign_in_opens_the_same_account(client, provider):
    first = signed_in_user(sign_in_with(client, provider))
    provider.account = Account(subject="subject-1", email="renamed@example.com")
    again = signed_in_user(sign_in_with(client, provider))
    assert again.id == first.id
    assert len(rows(User)) == 1
    assert rows(OAuthAccount)[0].email == "renamed@example.com"


def test_github_uses_the_verified_primary_email(client, provider):
    provider.account = Account(subject="4242", email="octo@example.com")
    user = signed_in_user(sign_in_with(client, provider, "github"))
    assert user.email == "octo@example.com"
    [account] = rows(OAuthAccount)
    assert (account.provider, account.subject) == ("github", "4242")
    assert provider.authorize_requests[0]["scope"] == "read:user user:email"
    assert provider.token_attempts[0].client_auth == "post"  # what GitHub documents


def test_github_without_the_emails_scope_gives_an_unverified_email(client, mailbox, provider):
    register_verified(client, mailbox, "octo@example.com")
    provider.account = Account(subject="4243", email="octo@example.com")
    provider.github_emails_status = 404
    assert refused(sign_in_with(client, provider, "github")) == "email_not_verified_by_provider"
    assert rows(OAuthAccount) == []


def test_existing_account_is_linked_by_verified_email(client, mailbox, provider):
    created = register_verified(client, mailbox, "ada@example.com")
    provider.account = Account(subject="g-ada", email="ADA@example.com")
    user = signed_in_user(sign_in_with(client, provider))
    assert user.id == created["id"]
    assert len(rows(User)) == 1
    assert [a.user_id for a in rows(OAuthAccount)] == [created["id"]]
    assert login(client, "ada@example.com").status_code == 200  # the password still works


def test_an_unverified_provider_email_never_opens_an_existing_account(client, mailbox, provider):
    register_verified(client, mailbox, "victim@example.com")
    provider.account = Account(subject="attacker", email="victim@example.com", email_verified=False)
    assert refused(sign_in_with(client, provider)) == "email_not_verified_by_provider"
    assert rows(OAuthAccount) == []
    # Nor does it create an account for an address nobody proved.
    provider.account = Account(subject="other", email="nobody@example.com", email_verified=False)
    assert refused(sign_in_with(client, provider)) == "email_not_verified_by_provider"
    assert [u.email for u in rows(User)] == ["victim@example.com"]


def test_an_unverified_squatter_loses_the_password_when_the_owner_arrives(client, provider):
    assert register(client, "owner@example.com").status_code == 201  # never verified
    provider.account = Account(subject="g-owner", email="owner@example.com")
    user = signed_in_user(sign_in_with(client, provider))
    assert user.email_verified_at is not None and user.password_hash is None
    assert_error_shape(login(client, "owner@example.com"), 401, "invalid_credentials")


def test_banned_users_are_refused(client, provider):
    user = signed_in_user(sign_in_with(client, provider))
    with new_session() as session:
        record = session.get(User, user.id)
        record.banned = True
        session.add(record)
        session.commit()
    assert refused(sign_in_with(client, provider)) == "account_banned"


# State, PKCE and redirects


def test_a_tampered_state_is_refused_and_a_state_works_only_once(client, provider):
    query = consent(provider, start(client, "google"))
    tampered = {**query, "state": query["state"][:-2] + "xx"}
    assert refused(callback(client, "google", tampered)) == "invalid_state"
    assert refused(callback(client, "google", {"code": query["code"]})) == "invalid_state"
    signed_in_user(callback(client, "google", query))
    assert refused(callback(client, "google", query)) == "invalid_state"  # replayed
    assert len(provider.token_attempts) == 1  # refused before any code was spent


def test_a_flow_finishes_only_in_the_browser_that_started_it(client, api, provider):
    """Login CSRF: an attacker starts a sign-in with their own provider account and sends the
    callback link to a victim, whose browser would end up in the attacker's account."""
    login_response = client.get("/api/v1/auth/oauth/google/login", follow_redirects=False)
    cookie = login_response.headers["set-cookie"].lower()
    for attribute in ("httponly", "samesite=lax", "path=/api/v1/auth/oauth", "max-age=600"):
        assert attribute in cookie
    query = consent(provider, login_response.headers["location"])
    with TestClient(api) as victim:
        assert refused(callback(victim, "google", query)) == "invalid_state"
    assert refused(callback(client, "google", query)) == "invalid_state"  # spent by then
    assert provider.token_attempts == [] and rows(User) == []


def test_two_sign_ins_started_in_one_browser_both_finish(client, provider):
    first = start(client, "google")
    second = start(client, "google")
    assert signed_in_user(callback(client, "google", consent(provider, second)))
    assert signed_in_user(callback(client, "google", consent(provider, first)))


def test_a_state_from_another_provider_is_refused(client, provider):
    query = consent(provider, start(client, "google"))
    assert refused(callback(client, "github", query)) == "invalid_state"
    assert refused(callback(client, "google", query)) == "invalid_state"  # and it is spent


def test_the_state_expires_after_ten_minutes(client, provider):
    start(client, "google")
    [key] = get_redis().keys("oauth:state:*")
    assert 590 <= get_redis().ttl(key) <= 600


def test_the_provider_refuses_a_wrong_pkce_verifier(client, provider):
    query = consent(provider, start(client, "google"))
    key = oauth.state_key(query["state"])
    flow = json.loads(get_redis().get(key))
    flow["code_verifier"] = "a-verifier-that-does-not-match-the-challenge-given-at-authorize"
    get_redis().set(key, json.dumps(flow), ex=600)
    assert refused(callback(client, "google", query)) == "provider_error"
    [attempt] = provider.token_attempts
    assert attempt.code_verifier == flow["code_verifier"]
    assert attempt.outcome == "invalid_grant"
    assert provider.authorize_requests[0]["code_challenge"] != s256(attempt.code_verifier)
    assert rows(User) == []


def test_a_declined_consent_goes_back_to_login(client, provider):
    provider.deny = True
    assert refused(sign_in_with(client, provider)) == "access_denied"
    assert get_redis().keys("oauth:state:*") == []
    assert provider.token_attempts == []


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("https://evil.example", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("tools", "/"),
        ("/wallet#history", "/wallet#history"),
    ],
)
def test_next_goes_only_to_local_paths(client, provider, asked, kept):
    _path, query = landed(sign_in_with(client, provider, next_path=asked))
    assert query["next"] == kept


# Which providers exist


def test_only_configured_providers_are_offered(client, provider, monkeypatch):
    monkeypatch.setattr(get_settings(), "x_client_secret", "")
    listed = client.get("/api/v1/auth/oauth/providers")
    assert listed.status_code == 200
    assert listed.json()["items"] == [
        {"name": "google", "label": "Google", "login_url": "/api/v1/auth/oauth/google/login"},
        {"name": "github", "label": "GitHub", "login_url": "/api/v1/auth/oauth/github/login"},
    ]
    assert_error_shape(client.get("/api/v1/auth/oauth/x/login"), 404, "unknown_provider")
    assert_error_shape(client.get("/api/v1/auth/oauth/myspace/login"), 404, "unknown_provider")


def test_with_no_client_configured_no_provider_is_offered(client, monkeypatch):
    for name in ("google", "github", "x"):
        monkeypatch.setattr(get_settings(), f"{name}_client_id", "")
    assert client.get("/api/v1/auth/oauth/providers").json() == {"items": []}
    assert_error_shape(client.get("/api/v1/auth/oauth/google/login"), 404, "unknown_provider")


def test_default_endpoints_are_the_providers_own():
    fields = type(get_settings()).model_fields
    assert fields["google_authorize_url"].default.startswith("https://accounts.google.com/")
    assert fields["github_token_url"].default == "https://github.com/login/oauth/access_token"
    assert fields["x_userinfo_url"].default.endswith("/2/users/me")
    assert all(fields[f"{name}_client_id"].default == "" for name in ("google", "github", "x"))


# Linking and unlinking


def test_a_signed_in_user_links_x_and_then_signs_in_with_it(client, mailbox, provider):
    pair = signed_in(client, mailbox, "ada@example.com")
    me = client.get("/api/v1/me", headers=bearer(pair["access_token"])).json()
    provider.account = Account(subject="x-777", email="", email_verified=False)
    response = client.post(
        "/api/v1/me/oauth/x/link-url",
        params={"next": "/account"},
        headers=bearer(pair["access_token"]),
    )
    assert response.status_code == 200
    linked = callback(client, "x", consent(provider, response.json()["url"], "x"))
    # No session for whichever browser finished the link: straight back to the page.
    assert landed(linked) == ("/account", {})
    [account] = rows(OAuthAccount)
    assert (account.user_id, account.provider, account.subject) == (me["id"], "x", "x-777")
    assert provider.authorize_requests[0]["scope"] == "users.read tweet.read"
    listed = client.get("/api/v1/me/oauth", headers=bearer(pair["access_token"])).json()
    assert [(p["provider"], p["label"]) for p in listed["items"]] == [("x", "X")]
    # From now on X alone opens the account.
    assert signed_in_user(sign_in_with(client, provider, "x")).id == me["id"]


def test_x_alone_cannot_open_or_create_an_account(client, provider):
    provider.account = Account(subject="x-unknown", email="", email_verified=False)
    assert refused(sign_in_with(client, provider, "x")) == "provider_not_linked"
    assert rows(User) == []


def test_an_identity_linked_to_someone_else_is_not_moved(client, mailbox, provider):
    provider.account = Account(subject="x-1", email="")
    first = signed_in(client, mailbox, "first@example.com")
    url = client.post("/api/v1/me/oauth/x/link-url", headers=bearer(first["access_token"]))
    assert landed(callback(client, "x", consent(provider, url.json()["url"], "x")))[0] == "/"
    second = signed_in(client, mailbox, "second@example.com")
    url = client.post("/api/v1/me/oauth/x/link-url", headers=bearer(second["access_token"]))
    response = callback(client, "x", consent(provider, url.json()["url"], "x"))
    assert refused(response) == "provider_account_in_use"
    [account] = rows(OAuthAccount)
    assert (
        account.user_id
        == client.get("/api/v1/me", headers=bearer(first["access_token"])).json()["id"]
    )


def test_link_url_needs_a_signed_in_caller(client, provider):
    response = client.post("/api/v1/me/oauth/google/link-url")
    assert response.status_code == 401


def test_the_last_way_to_sign_in_cannot_be_unlinked(client, provider):
    user = signed_in_user(sign_in_with(client, provider))  # no password
    headers = access_token_for(user.id)
    response = client.delete("/api/v1/me/oauth/google", headers=headers)
    assert_error_shape(response, 409, "last_sign_in_method")
    assert len(rows(OAuthAccount)) == 1
    # With a second provider linked, the first one can go.
    provider.account = Account(subject="31337", email="other@example.com")
    url = client.post("/api/v1/me/oauth/github/link-url", headers=headers).json()["url"]
    assert landed(callback(client, "github", consent(provider, url, "github")))[0] == "/"
    assert client.delete("/api/v1/me/oauth/google", headers=headers).status_code == 200
    assert [a.provider for a in rows(OAuthAccount)] == ["github"]
    last = client.delete("/api/v1/me/oauth/github", headers=headers)
    assert_error_shape(last, 409, "last_sign_in_method")


def test_a_provider_can_be_unlinked_when_a_password_remains(client, mailbox, provider):
    pair = signed_in(client, mailbox, "ada@example.com")
    headers = bearer(pair["access_token"])
    signed_in_user(sign_in_with(client, provider))  # links by verified email
    assert client.delete("/api/v1/me/oauth/google", headers=headers).status_code == 200
    assert rows(OAuthAccount) == []
    assert client.get("/api/v1/me/oauth", headers=headers).json() == {
        "items": [],
        "next_cursor": None,
    }
    assert "provider_unlinked" in [e.action for e in rows(AuditEntry)]
    again = client.delete("/api/v1/me/oauth/google", headers=headers)
    assert_error_shape(again, 404, "not_linked")


def test_the_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/auth/oauth/providers",
        "/api/v1/auth/oauth/{provider}/login",
        "/api/v1/auth/oauth/{provider}/callback",
        "/api/v1/me/oauth",
        "/api/v1/me/oauth/{provider}/link-url",
        "/api/v1/me/oauth/{provider}",
    ]:
        assert path in paths


def test_an_account_with_two_factor_still_asks_for_the_code(client, mailbox, provider):
    import pyotp

    from saasapp.accounts import two_factor
    from saasapp.core.errors import Unauthorized

    created = register_verified(client, mailbox, "tfa@example.com")
    with new_session() as session:
        user = session.get(User, created["id"])
        setup = two_factor.begin_setup(session, user)
        recovery = two_factor.confirm_setup(session, user, pyotp.TOTP(setup.secret).now())
    provider.account = Account(subject="g-tfa", email="tfa@example.com")
    path, query = landed(sign_in_with(client, provider, next_path="/account"))
    assert path == "/login" and set(query) == {"second_factor"}  # no session yet
    pending = query["second_factor"]
    with new_session() as session:
        with pytest.raises(Unauthorized):
            two_factor.finish_pending(session, pending, "000000")
        user, next_path = two_factor.finish_pending(session, pending, recovery[0])
        assert (user.id, next_path) == (created["id"], "/account")
        with pytest.raises(Unauthorized):  # single use
            two_factor.finish_pending(session, pending, recovery[1])
