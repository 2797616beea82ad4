"""Who may import whom (ARCHITECTURE.md): the rules that name modules by their role.

The package-to-package rules (areas one way, the core knows no area, models and jobs know no web
framework) are import-linter contracts in pyproject.toml; both run in `make lint` and CI. Each
check takes the tree to read, so the tests below also prove it fails on a planted violation.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saasapp.settings import PROJECT_ROOT

AREAS = ["core", "accounts", "tools", "ops"]
# The web side of an area: its routers and its pages. Everything else is rules, models, jobs.
WEB_PARTS = {"api", "pages", "published"}
WEB_FRAMEWORKS = {"reflex", "fastapi", "starlette"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import statement of the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def modules(root: Path):
    for path in sorted((root / "saasapp").rglob("*.py")):
        yield module_name(root, path), path


def is_page(module: str) -> bool:
    return "pages" in module.split(".")


def is_router(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[1] in AREAS and parts[2] in {"api", "published"}


def is_jobs(module: str) -> bool:
    return module.endswith(".jobs") and not module.startswith("saasapp.worker")


def imported(path: Path, module: str) -> list[str]:
    """Full names of the saasapp modules a file imports (``from pkg import mod`` counts mod)."""
    names = []
    for target, members in imports_of(path):
        names.append(target)
        names += [f"{target}.{member}" for member in members]
    return names


def web_imports_in_area_rules(root: Path) -> list[str]:
    offenders = []
    for module, path in modules(root):
        parts = module.split(".")
        if len(parts) < 3 or parts[1] not in AREAS or WEB_PARTS & set(parts[2:]):
            continue
        for target, _ in imports_of(path):
            if target.split(".")[0] in WEB_FRAMEWORKS:
                offenders.append(f"{module} imports {target}")
    return offenders


def pages_imported_outside_the_app(root: Path) -> list[str]:
    offenders = []
    for module, path in modules(root):
        if module == "saasapp.saasapp" or is_page(module):
            continue
        offenders += [f"{module} imports {t}" for t in imported(path, module) if is_page(t)]
    return offenders


def private_names_across_pages(root: Path) -> list[str]:
    offenders = []
    for module, path in modules(root):
        if not is_page(module):
            continue
        for target, members in imports_of(path):
            if is_page(target) and target != module:
                offenders += [f"{module} imports {target}.{m}" for m in members if m[0] == "_"]
    return offenders


def routers_imported_outside_the_http_app(root: Path) -> list[str]:
    offenders = []
    for module, path in modules(root):
        if module == "saasapp.http.app" or is_router(module):
            continue
        offenders += [f"{module} imports {t}" for t in imported(path, module) if is_router(t)]
    return offenders


def jobs_imported_outside_the_worker(root: Path) -> list[str]:
    offenders = []
    for module, path in modules(root):
        if module.startswith("saasapp.worker") or is_jobs(module):
            continue
        offenders += [f"{module} imports {t}" for t in imported(path, module) if is_jobs(t)]
    return offenders


CHECKS = [
    web_imports_in_area_rules,
    pages_imported_outside_the_app,
    private_names_across_pages,
    routers_imported_outside_the_http_app,
    jobs_imported_outside_the_worker,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__)
def test_the_tree_keeps_the_rule(check):
    assert check(PROJECT_ROOT) == []


@pytest.fixture
def tree_copy(tmp_path):
    shutil.copytree(
        PROJECT_ROOT / "saasapp", tmp_path / "saasapp", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def plant(root: Path, relative: str, line: str) -> None:
    path = root / relative
    path.write_text(path.read_text() + f"\n{line}\n")


@pytest.mark.parametrize(
    ("check", "relative", "line"),
    [
        (web_imports_in_area_rules, "saasapp/tools/publishing.py", "import reflex"),
        (web_imports_in_area_rules, "saasapp/accounts/sessions.py", "from fastapi import Request"),
        (
            pages_imported_outside_the_app,
            "saasapp/ui/layout.py",
            "from saasapp.tools.pages import my_tools",
        ),
        (
            private_names_across_pages,
            "saasapp/ops/pages/events.py",
            "from saasapp.accounts.pages.admin_users import _x",
        ),
        (
            routers_imported_outside_the_http_app,
            "saasapp/tools/tools.py",
            "from saasapp.tools import api",
        ),
        (
            jobs_imported_outside_the_worker,
            "saasapp/tools/api.py",
            "from saasapp.tools.jobs import run_generation",
        ),
    ],
)
def test_each_check_fails_on_a_planted_violation(tree_copy, check, relative, line):
    assert check(tree_copy) == []
    plant(tree_copy, relative, line)
    assert check(tree_copy) != []


@pytest.mark.parametrize(
    ("relative", "line", "contract"),
    [
        ("saasapp/core/audit.py", "from saasapp.accounts import sessions", "know no area"),
        ("saasapp/accounts/sessions.py", "from saasapp.tools import tools", "depend one way"),
        ("saasapp/tools/models.py", "import reflex", "neither Reflex"),
    ],
)
def test_import_contracts_fail_on_a_planted_violation(tree_copy, relative, line, contract):
    lint = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"]
    kept = subprocess.run(lint, cwd=tree_copy, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout
    plant(tree_copy, relative, line)
    broken = subprocess.run(lint, cwd=tree_copy, capture_output=True, text=True)
    assert broken.returncode != 0
    assert contract in broken.stdout and "BROKEN" in broken.stdout


def test_worker_jobs_import_without_building_the_app():
    code = "import sys, saasapp.worker.jobs; print('reflex' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
