"""Accounts pages: one page per module, with the state it owns."""
