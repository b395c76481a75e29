"""The package's folders are its architecture: one subpackage per capability, each importing
only from the layers below it, and no module importing itself back through others."""

from __future__ import annotations

import ast
from pathlib import Path

import rongcuo_kg

PACKAGE = Path(rongcuo_kg.__file__).resolve().parent

# bottom up; a layer may import from its own subpackage and from the layers below it
LAYERS = [
    {"messages_zh"},  # data: the Chinese of the error messages
    {"errors", "messages", "paths", "cache", "sheets"},  # ground, used everywhere
    {"text"},  # the text of a measure
    {"graph"},  # the measures as RDF, the stores, the queries
    {"finding", "cases"},  # two capabilities side by side: neither imports the other
    {"adding"},  # adding measures (uses the finder to suggest)
    {"app"},  # the web app
    {"cli"},  # the command line (starts the app)
]
LEVEL = {name: k for k, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every rongcuo_kg module that `path` imports, at the top or inside a function."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t.startswith("rongcuo_kg."):
                found.add(t)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def capability(module: str) -> str:
    return module.split(".")[1]


def test_every_module_belongs_to_a_known_layer():
    unplaced = sorted(m for m in modules() if m != "rongcuo_kg" and capability(m) not in LEVEL
                      and capability(m) not in ("ontology", "shapes", "queries", "data"))
    assert unplaced == []


def test_each_capability_says_what_it_owns():
    for name in LEVEL:
        init = PACKAGE / name / "__init__.py"
        if init.exists():
            assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{name}/ has no docstring"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        if module == "rongcuo_kg":
            continue
        for target in targets:
            a, b = capability(module), capability(target)
            if a != b and LEVEL[b] >= LEVEL[a]:
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def cycles_of(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_imports_point_only_downwards():
    assert upward_imports(import_graph()) == []


def test_no_import_cycle():
    assert cycles_of(import_graph()) == []


def test_the_checks_can_fail(tmp_path):
    """The import reader resolves relative and lazy imports; an upward import and a cycle are
    reported (as the CLI's helpers and ingest ↔ review once were)."""
    path = tmp_path / "x.py"
    path.write_text("def f():\n    from ..graph import store\n    from rongcuo_kg.cli.main import main\n",
                    encoding="utf-8")
    known = {"rongcuo_kg.graph.store", "rongcuo_kg.cli.main", "rongcuo_kg.graph", "rongcuo_kg.cli"}
    found = imports_of("rongcuo_kg.text.x", path, known)
    assert {"rongcuo_kg.graph.store", "rongcuo_kg.cli.main"} <= found
    assert upward_imports({"rongcuo_kg.text.x": found}) == [
        "rongcuo_kg.text.x imports rongcuo_kg.cli.main", "rongcuo_kg.text.x imports rongcuo_kg.graph",
        "rongcuo_kg.text.x imports rongcuo_kg.graph.store"]
    assert cycles_of({"rongcuo_kg.cli.main": {"rongcuo_kg.cli.finding"},
                      "rongcuo_kg.cli.finding": {"rongcuo_kg.cli.main"}}) == [
        ["rongcuo_kg.cli.finding", "rongcuo_kg.cli.main"]]
