"""Accounts: sign-up, sign-in, sessions, access tokens, API keys, two-factor, OAuth, roles."""
