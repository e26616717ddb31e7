"""Imports flow one way (docs/architecture.md, "One shape for every area").

Read from the source with `ast`, without importing anything:

- the domain modules of the apps (models, services, selectors, tasks, receivers…)
  form an acyclic graph between apps;
- domain modules never import an entry point (pages, API, URLs, forms, admin,
  management commands): entry points sit on top, and nothing but URL
  configurations imports them;
- entry points of different apps do not import each other in a cycle either;
- the API shell (`solibook/api`) depends on `core` and `accounts` only;
- no module imports a private (`_name`) name of another app.

Imports under `if TYPE_CHECKING:` are annotations, not dependencies, and are skipped.
"""

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # solibook/
ENTRY_DIRS = {"views", "api", "management", "templatetags"}
ENTRY_FILES = {"urls.py", "forms.py", "admin.py"}
SHELLS = {"api", "testing"}  # shared kits, not domain apps
SHARED_KITS = {"core", "api"}  # their form and field helpers are meant for every entry point
API_SHELL_MAY_IMPORT = {"core", "accounts"}
# Debts being paid off: each entry names an import that breaks a rule above.
# The list may only shrink; a new violation fails the suite.
KNOWN: set[str] = set()


def _apps() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}


def _is_entry(parts: tuple[str, ...]) -> bool:
    """`parts` is a module path inside solibook, e.g. ("booking", "api", "views.py")."""
    return any(part in ENTRY_DIRS for part in parts[1:-1]) or parts[-1] in ENTRY_FILES


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


@cache
def _imports() -> tuple[tuple[str, tuple[str, ...], str, str, int], ...]:
    """(importing app, importing module parts, imported dotted name, file, line) for every
    absolute import of another solibook app, outside tests and migrations."""
    apps = _apps()
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts or parts[0] not in apps:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        skipped = _type_checking_lines(tree)
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                bits = name.split(".")
                if bits[0] == "solibook" and len(bits) > 1 and bits[1] in apps:
                    relative = str(path.relative_to(ROOT.parent))
                    if bits[1] != parts[0] and f"{relative} imports {name}" not in KNOWN:
                        found.append((parts[0], parts, name, relative, node.lineno))
    return tuple(found)


def _target_is_entry(dotted: str) -> bool:
    bits = dotted.split(".")[1:]
    for end in range(len(bits), 1, -1):  # the longest prefix that is a module
        candidate = ROOT.joinpath(*bits[:end])
        if candidate.with_suffix(".py").exists():
            return _is_entry((*bits[: end - 1], bits[end - 1] + ".py"))
        if (candidate / "__init__.py").exists():
            return _is_entry((*bits[:end], "__init__.py"))
    return False


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _explain(component: list[str], kind: str) -> str:
    lines = [f"{kind} import cycle between {', '.join(component)}:"]
    for app, parts, name, path, line in _imports():
        target = name.split(".")[1]
        same_floor = (kind == "domain") == (not _is_entry(parts))
        if app in component and target in component and same_floor:
            lines.append(f"  {path}:{line} imports {name}")
    return "\n".join(lines)


def test_domain_modules_form_no_cycle_between_apps():
    edges: dict[str, set[str]] = defaultdict(set)
    for app, parts, name, _path, _line in _imports():
        if app not in SHELLS and not _is_entry(parts) and not _target_is_entry(name):
            edges[app].add(name.split(".")[1])
    cycles = _cycles(edges)
    assert not cycles, "\n\n".join(_explain(c, "domain") for c in cycles)


def test_entry_points_form_no_cycle_between_apps():
    edges: dict[str, set[str]] = defaultdict(set)
    for app, parts, name, _path, _line in _imports():
        if _is_entry(parts) and _target_is_entry(name):
            edges[app].add(name.split(".")[1])
    cycles = _cycles(edges)
    assert not cycles, "\n\n".join(_explain(c, "entry-point") for c in cycles)


def test_entry_points_reuse_only_another_areas_api_shapes():
    """Pages and API of one area may reuse another area's API serializers, not its views."""
    wrong = [
        f"{path}:{line} imports {name}"
        for _app, parts, name, path, line in _imports()
        if _is_entry(parts)
        and _target_is_entry(name)
        and name.split(".")[1] not in SHARED_KITS
        and not name.startswith(f"solibook.{name.split('.')[1]}.api.serializers")
    ]
    assert not wrong, "entry points importing another area's views:\n" + "\n".join(wrong)


def test_domain_modules_never_import_entry_points():
    wrong = [
        f"{path}:{line} imports {name}"
        for app, parts, name, path, line in _imports()
        if not _is_entry(parts) and _target_is_entry(name) and app != "testing"
    ]
    assert not wrong, "domain code importing pages or API:\n" + "\n".join(wrong)


def test_api_shell_depends_on_core_and_accounts_only():
    wrong = [
        f"{path}:{line} imports {name}"
        for app, _parts, name, path, line in _imports()
        if app == "api" and name.split(".")[1] not in API_SHELL_MAY_IMPORT
    ]
    assert not wrong, "the API shell must stay below the domain apps:\n" + "\n".join(wrong)


def test_no_private_name_is_imported_across_apps():
    wrong = [
        f"{path}:{line} imports {name}"
        for _app, _parts, name, path, line in _imports()
        if any(bit.startswith("_") and not bit.startswith("__") for bit in name.split(".")[2:])
    ]
    assert not wrong, "private names imported from another app:\n" + "\n".join(wrong)


def test_known_debts_are_still_there():
    """A debt paid off leaves KNOWN, so that it cannot come back unnoticed."""
    seen = set()
    for path in ROOT.rglob("*.py"):
        relative = str(path.relative_to(ROOT.parent))
        if any(entry.startswith(relative + " ") for entry in KNOWN):
            source = path.read_text()
            seen |= {
                entry
                for entry in KNOWN
                if entry.startswith(relative + " ") and entry.rsplit(".", 1)[1] in source
            }
    assert seen == KNOWN, f"remove from KNOWN: {sorted(KNOWN - seen)}"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from solibook.a.services import x\n", {"a"}),
        ("if TYPE_CHECKING:\n    from solibook.a.services import x\n", set()),
    ],
)
def test_the_reader_sees_imports_and_skips_annotations(tmp_path, source, expected):
    tree = ast.parse(source)
    skipped = _type_checking_lines(tree)
    seen = {
        node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.lineno not in skipped
    }
    assert seen == expected
