"""Print the share of mutants killed after `mutmut run` (make mutation), per module and in all.

Reads `mutmut results --all true`; with mutant-name globs as arguments (as given to `mutmut
run`), counts only those. Mutants not run (no test reaches them, or not selected) are listed
apart: they are not counted as killed.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path


def main(patterns: list[str]) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run(
        [str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=False
    ).stdout
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name or (patterns and not any(fnmatch.fnmatch(name, p) for p in patterns)):
            continue
        module = name.split(".x")[0].split(".xǁ")[0]
        by_module[module][status] += 1
    total: Counter[str] = Counter()
    for module in sorted(by_module):
        counts = by_module[module]
        total += counts
        print(_line(module, counts))
    print(_line("all", total))
    return 0 if total else 1


def _line(label: str, counts: Counter[str]) -> str:
    # A timeout is listed apart, not counted as killed: on a loaded machine it is as likely
    # the machine's slowness as a mutant that hangs the tests.
    run = counts["killed"] + counts["survived"] + counts["suspicious"]
    killed = counts["killed"]
    share = f"{100 * killed / run:.1f}%" if run else "n/a"
    rest = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in ("killed",))
    return f"{label:45} {share:>7} killed ({killed}/{run}){'; ' + rest if rest else ''}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
