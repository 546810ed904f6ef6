"""The layers of ARCHITECTURE.md §1 hold: `lint-imports` keeps them, it would notice an upward
import, and no module hides an import inside a function to slip past it."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = CONFIG["root_packages"]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_layers(tmp_path):
    tree = copy_of_the_code(tmp_path)
    (tree / "accounts" / "upward.py").write_text("from voting import services  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "accounts is not allowed to import voting" in result.stdout


def test_an_upward_import_inside_a_function_breaks_them_too(tmp_path):
    tree = copy_of_the_code(tmp_path)
    (tree / "comments" / "upward.py").write_text(
        "def tally():\n    from voting import selectors\n\n    return selectors\n"
    )
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "comments is not allowed to import voting" in result.stdout


def test_the_shell_importing_a_domain_app_breaks_its_contract(tmp_path):
    tree = copy_of_the_code(tmp_path)
    with (tree / "backend" / "errors.py").open("a") as handle:
        handle.write("\nfrom accounts import permissions  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "backend.errors is not allowed to import accounts" in result.stdout


def function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and inner is not node:
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_no_module_imports_inside_a_function():
    """Only AppConfig.ready() may: Django loads the models before it runs (signal receivers)."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path.name == "apps.py":
                continue
            found += function_level_imports(path)
    assert found == []


# ARCHITECTURE.md §1: no module in an app over ~600 lines (migrations aside); a module that
# grows past it is split by concern (as comments/moderation.py, hearings/speakers.py).
MODULE_LINE_LIMIT = 600


def oversized_modules(root: Path) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MODULE_LINE_LIMIT:
                found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_no_app_module_is_over_the_size_limit():
    assert oversized_modules(ROOT) == []


def test_an_oversized_module_is_noticed(tmp_path):
    (tmp_path / "comments" / "migrations").mkdir(parents=True)
    (tmp_path / "comments" / "big.py").write_text("x = 1\n" * (MODULE_LINE_LIMIT + 1))
    (tmp_path / "comments" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    (tmp_path / "comments" / "small.py").write_text("x = 1\n" * MODULE_LINE_LIMIT)
    assert oversized_modules(tmp_path) == [f"comments/big.py: {MODULE_LINE_LIMIT + 1} lines"]
