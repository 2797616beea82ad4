"""The layering rule of ARCHITECTURE.md: the business and worker code never imports Reflex."""

import ast

import pytest

from saasapp.settings import PROJECT_ROOT

REFLEX_FREE = ["models", "services", "worker", "integrations"]


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("package", REFLEX_FREE)
def test_package_never_imports_reflex_or_the_ui(package):
    offenders = []
    for path in (PROJECT_ROOT / "saasapp" / package).rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top == "reflex" or module.startswith(("saasapp.pages", "saasapp.state")):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}: {module}")
    assert offenders == []


def test_only_the_app_module_imports_pages():
    offenders = []
    for path in (PROJECT_ROOT / "saasapp").rglob("*.py"):
        if path.name == "saasapp.py" or "pages" in path.parts:
            continue
        offenders += [
            f"{path}: {m}" for m in imported_modules(path) if m.startswith("saasapp.pages")
        ]
    assert offenders == []


def test_worker_jobs_import_without_building_the_app():
    import subprocess
    import sys

    code = "import sys, saasapp.worker.jobs; print('reflex' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
