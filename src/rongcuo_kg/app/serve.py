"""What `rongcuo-kg app` runs: the server process loads what every page shares (the graph, the
finder's index, the validation rules, the measures' titles) before it starts answering, then
Streamlit's own command line serves the app (main.py) in this same process. So the first visit
of any page after the health check finds them ready, as a later visit does."""

from __future__ import annotations

import ast
import importlib
import sys
import time
from pathlib import Path

# what Streamlit loads on a page's first table or chart (seconds of imports otherwise paid by the
# first visitor)
FRAMEWORK_MODULES = ["numpy", "pandas", "pyarrow", "streamlit.dataframe_util"]


def page_modules() -> list[str]:
    """The modules the pages import (read from views/*.py, so a new page is covered)."""
    names: set[str] = set()
    for view in sorted((Path(__file__).resolve().parent / "views").glob("*.py")):
        for node in ast.parse(view.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
    return sorted(names)


# modules that declare a Streamlit component when imported: the declaration must reach the running
# server's component registry, so they are first imported by the page itself, not here
DECLARED_AT_RUNTIME = {"code_editor"}


def preload() -> None:
    for name in FRAMEWORK_MODULES + [m for m in page_modules() if m not in DECLARED_AT_RUNTIME]:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional part missing costs its page the import, nothing more
            continue


def main() -> None:
    started = time.perf_counter()
    from rongcuo_kg.app import ui

    preload()
    problem = ui.warm()
    if problem:  # the pages say it to the user in their words; the server starts all the same
        sys.stderr.write(f"rongcuo-kg app: {problem}\n")
    else:
        sys.stderr.write(f"rongcuo-kg app: ready in {time.perf_counter() - started:.1f} s\n")
    from streamlit.web import cli as streamlit_cli

    sys.argv = ["streamlit", "run", *sys.argv[1:]]
    sys.exit(streamlit_cli.main())


if __name__ == "__main__":
    main()
