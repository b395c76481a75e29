"""Score the validator on a graded case set: each case's outcome against the outcomes a legal
reader accepts (`a|b`), and the clauses its findings must cite. Run on a blind set once, and
report the figures as they come out (bench/RESULTS.md).

    python bench/score_cases.py tests/fixtures/eval/cases-graded-blind.csv
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def expectations(path: Path) -> dict[str, tuple[set[str], set[str], str]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        case_id, outcomes, cites, *why = line.split("\t") + [""] * 2
        out[case_id] = (set(outcomes.split("|")), set(cites.split()), why[0] if why else "")
    return out


def main(register: str) -> int:
    path = Path(register)
    expected = expectations(path.with_name(path.stem + ".expected.tsv"))
    # the command users run, in a new process
    out = subprocess.run([sys.executable, "-m", "rongcuo_kg.cli", "validate", str(path), "--json"],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        print(out.stderr, file=sys.stderr)
        return 2
    report = json.loads(out.stdout)
    for w in report["warnings"]:
        print("warning:", w)
    right_outcome = right_both = 0
    wrong = []
    for c in report["cases"]:
        outcomes, cites, why = expected[c["case_id"]]
        got = {f"{v['clause']['measure']}:{v['clause']['ref']}" for v in c["violations"] if v["clause"]}
        ok_outcome = c["outcome"] in outcomes
        ok_cites = cites <= got
        right_outcome += ok_outcome
        right_both += ok_outcome and ok_cites
        if not (ok_outcome and ok_cites):
            wrong.append((c["case_id"], c["measure"], c["outcome"], "|".join(sorted(outcomes)),
                          sorted(got), sorted(cites), why))
    n = len(report["cases"])
    print(f"{path.name}: {n} cases; outcome as expected {right_outcome}/{n} ({right_outcome / n:.3f}); "
          f"outcome and citations {right_both}/{n} ({right_both / n:.3f})")
    for case_id, measure, got, want, cited, must, why in wrong:
        print(f"  {case_id} [{measure}] got {got}, expected {want}; cited {cited}, must cite {must}\n      {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
