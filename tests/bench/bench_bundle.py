"""The desktop bundle against the virtual environment: size on disk and start time of the same
commands, side by side.

    make bundle && .venv/bin/python tests/bench/bench_bundle.py

Each run is a new process, timed from spawn to exit; runs alternate (venv, bundle, venv, ...)
so machine noise hits both alike. Prints medians and the bundle/venv ratio. Not collected by
pytest: a benchmark, not a test.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# --quick (CI, right after `make bundle`): three runs each instead of eleven.
RUNS = 3 if "--quick" in sys.argv else int(os.environ.get("BENCH_RUNS", "11"))
VENV = ROOT / ".venv" / "bin" / "intake"
BUNDLE = ROOT / "dist" / "intake" / "intake"
COMMANDS = {
    "--version": ["--version"],
    "route --province NT --json": ["route", "--province", "NT", "--json"],
    "route --province QC --language fr": ["route", "--province", "QC", "--language", "fr"],
}


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed(executable: Path, args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([str(executable), *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> int:
    if not BUNDLE.is_file():
        print("no bundle: run make bundle first", file=sys.stderr)
        return 1
    venv_bytes = size(ROOT / ".venv" / "lib")
    bundle_bytes = size(BUNDLE.parent)
    print(f"size: bundle {bundle_bytes / 1e6:.0f} MB (dist/intake/), "
          f"venv {venv_bytes / 1e6:.0f} MB (.venv/lib, with the test and developer tools)")  # fmt: skip
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        for name, args in COMMANDS.items():
            timed(VENV, args, env), timed(BUNDLE, args, env)  # warm the file cache for both
            venv, bundle = [], []
            for _ in range(RUNS):
                venv.append(timed(VENV, args, env))
                bundle.append(timed(BUNDLE, args, env))
            v, b = statistics.median(venv) * 1000, statistics.median(bundle) * 1000
            print(f"intake {name}: venv median {v:.0f} ms, bundle median {b:.0f} ms, "
                  f"ratio bundle/venv {b / v:.2f}x ({RUNS} alternating runs each)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
