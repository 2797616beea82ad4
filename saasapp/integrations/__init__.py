"""Thin clients for the outside world, each pointed at a configurable URL."""
