"""RQ entry points of the tools area: building and refining tools. Ids in, rules called."""

from __future__ import annotations

from saasapp.db import new_session
from saasapp.tools import runner


def run_generation(generation_id: int) -> str:
    """Build or refine a tool: stream the page, then make it the tool's current version."""
    return runner.run_generation(generation_id, new_session)


def fail_stale_generations() -> int:
    """Fail generations whose worker died (periodic sweep)."""
    return runner.fail_stale_generations(new_session)
