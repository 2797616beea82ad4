"""The accounts HTTP routes: /auth, /me, OAuth and the admin's user pages."""
