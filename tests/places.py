"""Where the test suite's own files are: everything a test reads lives in the project."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the compilation of the three measures as the project's user supplied it (the source of the
# shipped corpus), with its defects as published
SEED = FIXTURES / "seeds" / "rongcuo-measures-compilation.txt"
# development sets: officers' questions for the finder; case records with their expected results
DEV_EVAL = FIXTURES / "eval"
DEV_CASES = DEV_EVAL / "cases-graded-dev.csv"
