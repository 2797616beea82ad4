"""The worker imports what its jobs need before it forks, so no work horse imports it again."""

import subprocess
import sys

from saasapp.settings import PROJECT_ROOT

# tool_runner brings the model client (openai) with it: about half a second per job when a
# work horse had to import it (it delayed every generation's first token by that much).
PRELOADED = ["saasapp.tools.runner", "saasapp.core.mail", "openai"]


def test_worker_process_imports_the_job_services_before_forking():
    code = (
        "import sys, saasapp.worker.__main__; "
        f"print([m for m in {PRELOADED!r} if m not in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


OLD_PATHS = {
    "saasapp.worker.jobs.dispatch_events": "saasapp.core.jobs.dispatch_events",
    "saasapp.worker.jobs.send_email": "saasapp.core.jobs.send_email",
    "saasapp.worker.jobs.send_unsent_emails": "saasapp.core.jobs.send_unsent_emails",
    "saasapp.worker.jobs.run_generation": "saasapp.tools.jobs.run_generation",
    "saasapp.worker.jobs.fail_stale_generations": "saasapp.tools.jobs.fail_stale_generations",
}


def test_jobs_queued_under_their_old_paths_still_run(db, redis_client):
    """Jobs enqueued before the code moved to its areas name saasapp.worker.jobs.*: they resolve
    to the area's job and run."""
    from rq import SimpleWorker
    from rq.job import Job

    from saasapp.queues import get_queue, worker_queues

    for old, new in OLD_PATHS.items():
        job = Job.create(old, connection=redis_client)
        assert f"{job.func.__module__}.{job.func.__name__}" == new
    queued = get_queue().enqueue("saasapp.worker.jobs.send_unsent_emails")
    SimpleWorker(worker_queues(), connection=redis_client).work(burst=True)
    assert queued.get_status(refresh=True) == "finished"
    assert queued.return_value() == 0
