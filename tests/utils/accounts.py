"""Account helpers for API tests."""

from __future__ import annotations

PASSWORD = "correct horse battery"


def register(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **extra}
    )


def register_verified(client, mailbox, email, password=PASSWORD, **extra) -> dict:
    response = register(client, email, password, **extra)
    assert response.status_code == 201, response.text
    mailbox.deliver()
    code = mailbox.code_for(email)
    assert (
        client.post("/api/v1/auth/verify", json={"email": email, "code": code}).status_code == 200
    )
    return response.json()


def login(client, email, password=PASSWORD, **extra):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password, **extra})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def signed_in(client, mailbox, email, password=PASSWORD) -> dict:
    """Register, verify and sign in; returns the token pair."""
    register_verified(client, mailbox, email, password)
    response = login(client, email, password)
    assert response.status_code == 200, response.text
    return response.json()
