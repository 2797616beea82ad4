"""Every area's RQ jobs, imported once by the worker before it forks.

Importing them here, at the top, means a work horse finds them already loaded: one that
imported them itself would pay for it on every job (``tools.runner`` brings the model client
with it, about half a second).

The names below also keep jobs enqueued under the old dotted paths
(``saasapp.worker.jobs.<name>``) running; they can go once no queue holds such a job.
"""

from __future__ import annotations

from saasapp.core.jobs import dispatch_events, send_email, send_unsent_emails
from saasapp.tools.jobs import fail_stale_generations, run_generation

__all__ = [
    "dispatch_events",
    "fail_stale_generations",
    "run_generation",
    "send_email",
    "send_unsent_emails",
]
