"""The package boundaries of docs/design.md, enforced: import contracts (import-linter, contracts in
setup.cfg), no import cycles between modules, no Python logic in templates/, and no import inside a
function without a comment saying why."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("govaudit", "crawler", "audits", "sitesim")


def test_import_contracts_hold():
    """`lint-imports` with the contracts of setup.cfg (run from the source tree, so it checks this
    checkout's code, not an installed copy)."""
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='setup.cfg', no_cache=True, no_logo=True))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.d", imported="a.b")
    assert _cycles(graph) == [["a.b", "a.c"]]


def test_no_import_cycles_between_modules():
    """Imports placed inside functions count too: a cycle hidden that way is still a cycle."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert "govaudit.core.scans" in graph.modules      # this checkout's code, not an installed copy
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_templates_hold_no_python_logic():
    python = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.py"))
    assert python == ["templates/__init__.py"]
    body = ast.parse((ROOT / "templates" / "__init__.py").read_text(encoding="utf-8")).body
    docstring = [n for n in body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)]
    assert body == docstring[:1], "templates/__init__.py may hold a docstring only"


def _unexplained_function_imports(path: Path) -> list[str]:
    """Imports inside a function with no comment on their line or directly above their block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    import_lines = {n.lineno for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))}
    bad = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or "#" in lines[node.lineno - 1]:
                continue
            above = node.lineno - 2
            while above >= 0 and (above + 1 in import_lines or not lines[above].strip()):
                above -= 1
            if above < 0 or not lines[above].lstrip().startswith("#"):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return sorted(set(bad))


def test_imports_inside_functions_say_why():
    """An import belongs at the top of its module; one inside a function needs a measured reason
    (CLI start-up time, a module that also runs as a script), written as a comment above it."""
    bad = [line for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))
           for line in _unexplained_function_imports(path)]
    assert not bad, "imports inside functions without a comment saying why:\n" + "\n".join(bad)


def test_no_module_over_450_lines():
    """One concern per module: none of govaudit/, crawler/ or audits/ grows past 450 lines."""
    long = [f"{p.relative_to(ROOT)}: {n} lines" for package in ("govaudit", "crawler", "audits")
            for p in sorted((ROOT / package).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert not long, "modules over 450 lines:\n" + "\n".join(long)
