"""What every command shares: output to the user, the store a command works on, writing
result files safely. The command modules import it; it imports none of them."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from rongcuo_kg.text.journal import usual_file_mode
from rongcuo_kg.errors import BadInput

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}


def print_out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def print_err(text: str) -> None:
    sys.stderr.write(text + "\n")


def check_output_path(path: Path, option: str, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an output the command could not write before the work is done, not after, and one
    that would overwrite an input (`validate r.csv --csv r.csv`)."""
    for source in inputs:
        try:
            if path.exists() and Path(source).exists() and path.resolve().samefile(Path(source).resolve()):
                raise BadInput(f"{option} {path}: is an input of this command; write the report to another file")
        except OSError:
            continue
    if path.is_dir():
        raise BadInput(f"{option} {path}: is a folder; give a file name")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # replaced by a plain file it would be lost (a link) or never written as meant (/dev/full, a pipe)
        raise BadInput(f"{option} {path}: is not a plain file (a link, a device or a pipe); give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise BadInput(f"{option} {path}: no such folder {parent}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInput(f"{option} {path}: not writable")


def write_atomically(path: Path, data: bytes | Iterable[str]) -> None:
    """Write through a temporary file in the same folder: a failure leaves no half file.
    `data`: bytes, or text in pieces (a long report is never held whole), written as UTF-8."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray)):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece.encode("utf-8"))
        # mkstemp makes the file private (0600); the result keeps the mode of the file it
        # replaces, or gets the usual one
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else usual_file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def args_store(args: argparse.Namespace):
    from rongcuo_kg.graph.connect import left_out, open_store  # (the store modules load on demand)
    from rongcuo_kg.text.corpus import LEFT_OUT

    store = open_store(getattr(args, "data", None), endpoint=getattr(args, "endpoint", None),
                       store_dir=getattr(args, "store", None))
    for why in left_out(store):
        warn(f"{LEFT_OUT} {why}")
    return store


def warn(line: str) -> None:
    """A warning on stderr, Chinese first with the English beside it (messages.py)."""
    from rongcuo_kg.messages import bilingual_line

    print_err(f"警告 warning: {bilingual_line(line)}")
