"""Two-factor sign-in over the API: a TOTP code (used once) or a recovery code (used once)."""

import pyotp

from saasapp.accounts import two_factor
from saasapp.accounts.models import User
from saasapp.db import new_session
from tests.utils.accounts import login, register_verified
from tests.utils.api import assert_error_shape


def enable_2fa(user_id):
    with new_session() as session:
        user = session.get(User, user_id)
        setup = two_factor.begin_setup(session, user)
        assert user.totp_enabled is False  # not on until a code confirms the app has the key
        codes = two_factor.confirm_setup(session, user, pyotp.TOTP(setup.secret).now())
        stored = session.get(User, user_id).totp_secret
        assert setup.secret not in stored  # encrypted at rest
        return setup.secret, codes


def test_password_then_code(client, mailbox):
    created = register_verified(client, mailbox, "two@example.com")
    secret, recovery = enable_2fa(created["id"])
    assert_error_shape(login(client, "two@example.com"), 401, "totp_required")
    assert_error_shape(login(client, "two@example.com", totp_code="000000"), 401, "invalid_totp")
    code = pyotp.TOTP(secret).now()
    assert login(client, "two@example.com", totp_code=code).status_code == 200
    replay = login(client, "two@example.com", totp_code=code)
    assert_error_shape(replay, 401, "invalid_totp")  # one code, one sign-in
    assert login(client, "two@example.com", totp_code=recovery[0]).status_code == 200
    spent = login(client, "two@example.com", totp_code=recovery[0])
    assert_error_shape(spent, 401, "invalid_totp")
    assert len(recovery) == 10 and len(set(recovery)) == 10


def test_a_wrong_confirmation_code_leaves_2fa_off(client, mailbox):
    created = register_verified(client, mailbox, "off@example.com")
    with new_session() as session:
        user = session.get(User, created["id"])
        two_factor.begin_setup(session, user)
        try:
            two_factor.confirm_setup(session, user, "123456")
        except Exception as exc:
            assert getattr(exc, "code", "") == "invalid_totp"
        assert session.get(User, created["id"]).totp_enabled is False
    assert login(client, "off@example.com").status_code == 200


def test_disabling_2fa_removes_the_second_step(client, mailbox):
    created = register_verified(client, mailbox, "dis@example.com")
    enable_2fa(created["id"])
    with new_session() as session:
        two_factor.disable(session, session.get(User, created["id"]))
    assert login(client, "dis@example.com").status_code == 200
