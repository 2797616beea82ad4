"""Shared Reflex states and helpers for event handlers."""
