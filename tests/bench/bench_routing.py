"""Directory load time and route() latency: the shipped directory vs a generated one of 10,000.

    make bench   (or: .venv/bin/python tests/bench/bench_routing.py)

Both directories go through the real loader (TOML parsing, validation, phone numbers), and the
same randomised requests (every province, role, need, risk, time of day, over two weeks with
Christmas and New Year so holidays are included) are routed against each,
alternating, so the two are measured side by side in one run. Goals: p99 under 1 ms on the shipped
directory, under 20 ms at 10,000 programs. A benchmark, not a test: pytest does not collect it.
--quick: 300 generated programs and 200 requests (the test suite runs it so it cannot rot).

Each request is also routed with `limit=SHOWN` (what a screen shows: ranked on a cheap key, only
the programs shown built in full), side by side with the full route on the same directory.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from intake.directory.load import SHIPPED, load_directory
from intake.provinces import CODES, PROVINCES, ROLES
from intake.routing.engine import NEEDS, RISKS, Request, Router
from intake.timezones import zone

REQUESTS = 3000
SHOWN = 5  # the kiosk's cards
PHONES = ["1-800-663-6729", "1-877-767-4637", "1-855-242-3310", "1-844-433-3762", "1-866-355-5550"]
ZONES = sorted({p.zone for p in PROVINCES.values()})
KINDS = [
    "peer-support",
    "counselling",
    "health-program",
    "mentorship",
    "coaching",
    "support-line",
    "crisis-line",
]


def generated_directory(count: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["schema = 1\n"]
    for index in range(count):
        provinces = '["*"]' if index % 50 == 0 else f'["{rng.choice(CODES)}"]'
        roles = ", ".join(
            f'"{r}"'
            for r in rng.sample(
                ["physician", "resident", "student", "retired", "family", "worried"], 3
            )
        )
        if index % 3 == 0:
            hours = f'{{ tz = "{rng.choice(ZONES)}", always_open = true, status = "verified" }}'
        elif index % 3 == 1:
            hours = (
                f'{{ tz = "{rng.choice(ZONES)}", weekly = [ {{ days = ["mon", "tue", "wed", "thu", "fri"], '
                f'open = "0{rng.randint(7, 9)}:00", close = "1{rng.randint(6, 9)}:00" }} ], status = "third-party" }}'
            )
        else:
            hours = (
                f'{{ tz = "{rng.choice(ZONES)}", sessions = [ {{ weekday = "wed", nth = [2, 4], '
                f'start = "19:00", end = "20:30" }} ], status = "unverified" }}'
            )
        parts.append(f'''
[[program]]
id = "zz-program-{index}"
kind = "{rng.choice(KINDS)}"
scope = "local"
source = "generated"
checked = 2026-0{rng.randint(1, 9)}-01
name = {{ en = "Program {index}", fr = "Programme {index}", status = "verified", fr_status = "unverified" }}
text.description = {{ en = "Generated.", fr = "Généré." }}
text.serves = {{ en = "Generated.", fr = "Généré." }}
text.referral = {{ en = "Generated.", fr = "Généré." }}
eligibility = {{ provinces = {provinces}, roles = [{roles}], status = "verified" }}
languages = {{ value = ["en"], status = "unverified" }}
format = {{ modes = ["one-on-one"], channels = ["phone"], status = "verified" }}
cost = {{ value = "free", status = "verified" }}
hours = {hours}
contacts = [ {{ type = "voice", value = "{rng.choice(PHONES)}", tags = ["toll-free"], status = "verified" }} ]
''')
    return "".join(parts)


def requests(count: int, seed: int = 11) -> list[Request]:
    rng = random.Random(seed)
    # Two weeks over Christmas and New Year: holidays close business hours and are skipped by
    # the next opening, so they are part of what is measured.
    start = datetime(2026, 12, 21, tzinfo=zone("America/Toronto"))
    return [
        Request(
            province=rng.choice(CODES),
            at=start + timedelta(minutes=rng.randrange(14 * 24 * 60)),
            role=rng.choice(ROLES),
            language=rng.choice(("en", "fr")),
            need=rng.choice(NEEDS),
            risk=rng.choice(RISKS),
            outside_community=rng.random() < 0.2,
            about_colleague=rng.random() < 0.1,
            about_family=rng.random() < 0.1,
            indigenous=rng.random() < 0.1,
            veteran=rng.random() < 0.05,
            young=rng.random() < 0.05,
            topics=frozenset({"complaint"}) if rng.random() < 0.1 else frozenset(),
        )
        for _ in range(count)
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed_load(path: Path | None) -> tuple[float, list]:
    begin = time.perf_counter()
    programs = load_directory(path)
    return time.perf_counter() - begin, programs


def cached(path: Path, folder: Path) -> tuple[float, float, float]:
    """The same directory through the compiled copy: stored once, then the median of 5 loads,
    each beside the copy read as it was before (a plain unpickle, the collector running).
    Both start from an unfrozen heap: the cache moves the directory out of the collector's
    generations (gc.freeze), which would otherwise favour whichever runs second."""
    import gc
    import os
    import pickle

    from intake.directory import cache

    os.environ["INTAKE_CACHE"] = str(folder)
    cache.load_directory(path)
    stored = next(folder.glob("directory-*.pickle"))
    times, before, cpu = [], [], []
    for _run in range(5):
        gc.unfreeze()
        gc.collect()
        begin = time.perf_counter()
        with stored.open("rb") as fp:
            fp.readline()  # the key written in front of the pickle
            pickle.load(fp)
        before.append(time.perf_counter() - begin)
        gc.unfreeze()
        gc.collect()
        begin, begin_cpu = time.perf_counter(), time.process_time()
        cache.load_directory(path)
        times.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    del os.environ["INTAKE_CACHE"]
    return statistics.median(times), statistics.median(before), statistics.median(cpu)


def whole_process(runs: int) -> None:
    """`intake route --json` as a whole process against `python -c pass`, alternating.

    Both run from compiled bytecode, as an installed command does (pip and the bundle ship
    .pyc files; `installed.from_bytecode`): compiled from source at every run, the
    application's modules cost about 29 ms of its 84."""
    import subprocess

    from installed import from_bytecode

    command = [sys.executable, "-m", "intake", "route", "--province", "QC", "--json"]
    bare, route = [], []
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as folder:
        env = from_bytecode(Path(folder))
        for _run in range(runs + 1):
            for target, argv in ((bare, [sys.executable, "-c", "pass"]), (route, command)):
                begin = time.perf_counter()
                subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
                target.append(time.perf_counter() - begin)
    bare, route = bare[1:], route[1:]  # the first of each warms the file cache
    ratio = statistics.median(route) / statistics.median(bare)
    print(f"intake route --json, whole process, shipped directory, {runs} alternating runs")
    print(
        f"  python -c pass median {statistics.median(bare) * 1000:6.1f} ms, intake route --json "
        f"median {statistics.median(route) * 1000:6.1f} ms: ratio {ratio:.2f}x (goal: at most 4x)"
    )


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description="directory load and route() latency")
    parser.add_argument("--quick", action="store_true", help="small data, a few seconds")
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() after the routers are built (as `intake route` does after its load)",
    )
    options = parser.parse_args()
    quick = options.quick
    import gc
    import os

    load_before = os.getloadavg()
    count, requests_count = (300, 200) if quick else (10_000, REQUESTS)
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as folder:
        big_file = Path(folder) / "generated.toml"
        big_file.write_text(generated_directory(count), encoding="utf-8")
        shipped_load, shipped = timed_load(None)
        big_load, big = timed_load(big_file)
        cached_load, plain_unpickle, cached_cpu = cached(big_file, Path(folder) / "cache")
    begin = time.perf_counter()
    shipped_router = Router(shipped)
    shipped_index = time.perf_counter() - begin
    begin, begin_cpu = time.perf_counter(), time.process_time()
    big_router = Router(big)
    big_index, big_index_cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    if options.freeze:
        gc.freeze()
    # Whether the tail is the collector: every collection during the timed routes, by generation.
    collections: list[tuple[int, float]] = []
    started = [0.0]

    def collector(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collections.append((info["generation"], time.perf_counter() - started[0]))

    gc.callbacks.append(collector)

    # Two passes over the same requests: the first meets every kind of request for the first
    # time (cold caches), the second shows the steady state of a running application.
    passes: list[tuple[list[float], list[float], list[float], list[float]]] = []
    # The same calls' CPU time (the process's): on a machine shared with other work, the wall
    # clock also counts the time the process waited for a core; the CPU time does not.
    cpu: dict[tuple[int, int], list[float]] = {}
    batch = requests(requests_count)
    collected: list[list[tuple[int, float]]] = []
    for number in range(2):
        small_times: list[float] = []
        big_times: list[float] = []
        small_first: list[float] = []
        big_first: list[float] = []
        for request in batch:  # alternate: the same request against each directory, both ways
            for column, (router, times, limit) in enumerate(
                (
                    (shipped_router, small_times, None),
                    (big_router, big_times, None),
                    (shipped_router, small_first, SHOWN),
                    (big_router, big_first, SHOWN),
                )
            ):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                router.route(request, limit=limit)
                times.append(time.perf_counter() - begin)
                cpu.setdefault((number, column), []).append(time.process_time() - begin_cpu)
        passes.append((small_times, big_times, small_first, big_first))
        collected.append(list(collections))
        collections.clear()
    gc.callbacks.remove(collector)

    def row(label: str, values: list[float], goal_ms: float, cpu_values: list[float]) -> str:
        median, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
        p999 = percentile(values, 0.999) * 1000
        cpu_p999 = percentile(cpu_values, 0.999) * 1000
        return (
            f"  {label:30} median {median:7.3f} ms   p99 {p99:7.3f} ms   p99.9 {p999:7.3f} ms   "
            f"p99.9/goal {p999 / goal_ms:5.2f} (goal {goal_ms:g} ms); CPU median "
            f"{statistics.median(cpu_values) * 1000:7.3f} ms, p99.9 {cpu_p999:7.3f} ms"
        )

    print(f"directory load (parse + validate + phone numbers) and index build, {SHIPPED.name}")
    print(
        f"  shipped ({len(shipped):>5} programs): load {shipped_load * 1000:8.1f} ms, index {shipped_index * 1000:6.1f} ms"
    )
    print(
        f"  generated ({len(big):>5} programs): load {big_load * 1000:8.1f} ms, index {big_index * 1000:6.1f} ms"
        f" (CPU {big_index_cpu * 1000:6.1f} ms)"
    )
    print(
        f"  ratio generated/shipped load: {big_load / shipped_load:.1f}x for {len(big) / len(shipped):.0f}x the programs"
    )
    print(
        f"  generated, from the compiled copy (intake.directory.cache): load {cached_load * 1000:8.1f} ms;"
        f" load + index {(cached_load + big_index) * 1000:8.1f} ms (goal: under 1 s; CPU"
        f" {(cached_cpu + big_index_cpu) * 1000:6.1f} ms);"
        f" ratio {cached_load / big_load:.2f}x the full load"
    )
    print(
        f"  the compiled copy unpickled as before (collector running, nothing frozen):"
        f" {plain_unpickle * 1000:8.1f} ms; ratio now/before {cached_load / plain_unpickle:.2f}x"
    )
    for number, (label, (small_times, big_times, small_first, big_first)) in enumerate(
        zip(("first pass (cold caches)", "second pass (warm)"), passes, strict=True)
    ):
        print(f"route() over {requests_count} requests, alternating directories, {label}")
        print(row(f"shipped ({len(shipped)} programs)", small_times, 1.0, cpu[number, 0]))
        print(row(f"generated ({len(big)} programs)", big_times, 20.0, cpu[number, 1]))
        print(row(f"shipped, limit={SHOWN}", small_first, 1.0, cpu[number, 2]))
        print(row(f"generated, limit={SHOWN}", big_first, 20.0, cpu[number, 3]))
        ratio = statistics.median(big_times) / statistics.median(small_times)
        print(f"  ratio generated/shipped median: {ratio:.1f}x")
        for generation in range(3):
            spent = [seconds for found, seconds in collected[number] if found == generation]
            print(
                f"  collections of generation {generation} during these routes: {len(spent)},"
                f" {sum(spent) * 1000:.1f} ms in all, longest {max(spent, default=0) * 1000:.2f} ms"
            )
        for name, full, first in (
            ("shipped", small_times, small_first),
            ("generated", big_times, big_first),
        ):
            print(
                f"  ratio full/limit={SHOWN}, {name}: median "
                f"{statistics.median(full) / statistics.median(first):.1f}x, p99 "
                f"{percentile(full, 0.99) / percentile(first, 0.99):.1f}x, p99.9 "
                f"{percentile(full, 0.999) / percentile(first, 0.999):.1f}x"
            )
    whole_process(3 if quick else 15)
    print(
        "load average (1, 5, 15 min) at the start: {:.1f} {:.1f} {:.1f}; at the end: "
        "{:.1f} {:.1f} {:.1f} ({} cores){}".format(
            *load_before,
            *os.getloadavg(),
            os.cpu_count(),
            "; gc.freeze() after indexing" if options.freeze else "",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
