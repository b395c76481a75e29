"""Progress on long work (building a thousand measures, a batch of files, a register of 100,000
cases, loading a server), shown only on a terminal: a bar on stderr that goes when the work is
done. Piped or redirected, nothing is drawn (the output stays what scripts read)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

NO_PROGRESS_ENV = "RONGCUO_NO_PROGRESS"


def shown() -> bool:
    return sys.stderr.isatty() and not os.environ.get(NO_PROGRESS_ENV)


@contextmanager
def progress(desc: str, unit: str = "") -> Iterator[Callable[[int, int], None]]:
    """A function to call with (steps done, steps in all); on a terminal it draws a bar, made
    when the work first says how long it is (a single step draws none)."""
    if not shown():
        yield lambda done, total: None
        return
    from tqdm import tqdm

    bars: list = []

    def update(done: int, total: int) -> None:
        if not bars:
            if total <= 1:
                return
            bars.append(tqdm(total=total, desc=desc, unit=unit or "it", file=sys.stderr, leave=False,
                             dynamic_ncols=True))
        bars[0].update(max(0, done - bars[0].n))

    try:
        yield update
    finally:
        for bar in bars:
            bar.close()
