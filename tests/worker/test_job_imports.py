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
