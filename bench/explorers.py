"""Speed of every explorer of lerbook: model recomputation and full slider update.

Run (from the repository root):

    .venv/bin/python bench/explorers.py                  # the table, a few minutes
    .venv/bin/python bench/explorers.py --tests --build  # also time the test command and the book
    .venv/bin/python bench/explorers.py --compare OLD.json NEW.json   # ratios of two runs

Every public function ``*_explorer`` of every module ``lerbook.explore.<chapter>`` is found
automatically, constructed, and its live widget built (``ex.widget()``, the first draw). Then,
for each control in turn, the control is moved through its low end, two random interior slider
steps (seeded), its high end and back to its starting value, the other controls staying at
their starting values. Each move is timed once (``time.perf_counter``), two ways:

(a) model: ``ex.compute(**{name: value})``, the model recomputation alone;
(b) full:  ``slider.value = value``, the explorer's own path: the slider's observer runs the
    model, ``view.update`` (in-place redraw), the PNG render into the image widget and the
    readout, on the non-interactive Agg backend.

Cold moves are timed with every ``functools.lru_cache`` of lerbook emptied just before the
move (the first visit of a position, nothing shared with earlier positions). When the explorer
uses caches, the same moves are repeated warm (every position already visited), which is what
moving a slider back and forth costs. The table gives, per explorer, the median over its moves
and the worst move, in ms; explorers over 100 ms median or 250 ms worst are listed below it.

The summary also runs ``bench/ultraslow_timescales.py`` (the multi-timescale solver against
brute-force integration) and prints its figures. ``--tests`` times ``make unit notebooks-test``
and ``--build`` times ``make book``, each from the repository root in a subprocess (minutes).

Results are saved as JSON (``bench/results/<timestamp>.json``, or ``--out PATH``); two such
files compare with ``--compare OLD.json NEW.json`` (see ``bench/compare.py``). Progress goes to
stderr, the table to stdout.
"""

from __future__ import annotations

import os

# Before anything imports matplotlib: the non-interactive backend, and live (not static) mode.
os.environ["MPLBACKEND"] = "Agg"
os.environ.pop("LERBOOK_STATIC", None)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import datetime as _dt  # noqa: E402
import functools  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import pkgutil  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))  # for compare.py when run as a script

#: Thresholds of the table's notes [s]: the median move and the worst move.
MEDIAN_LIMIT = 0.100
WORST_LIMIT = 0.250
#: The four timings of a move.
METRICS = ("model_cold", "full_cold", "model_warm", "full_warm")
#: Make targets of the optional flags.
BUILD_COMMAND = ["make", "book"]
TESTS_COMMAND = ["make", "unit", "notebooks-test"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# Discovery and caches
# ------------------------------------------------------------------------------------------
def discover(only: list[str] | None = None) -> list[tuple[str, object]]:
    """``[(\"chapter.name_explorer\", function)]`` for every public ``*_explorer`` function
    defined in a module of :mod:`lerbook.explore` (``core`` and private modules excluded)."""
    import lerbook.explore as explore

    found = []
    for info in sorted(pkgutil.iter_modules(explore.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "core":
            continue
        try:
            module = importlib.import_module(f"{explore.__name__}.{info.name}")
        except Exception as error:  # a chapter being written may not import yet
            log(f"  cannot import lerbook.explore.{info.name}: {error!r}")
            continue
        for name, function in vars(module).items():
            if (name.endswith("_explorer") and not name.startswith("_")
                    and inspect.isfunction(function) and function.__module__ == module.__name__):
                label = f"{info.name}.{name}"
                if not only or any(pattern in label for pattern in only):
                    found.append((label, function))
    return found


def lerbook_caches() -> list:
    """Every ``functools.lru_cache`` wrapper of a loaded lerbook module (module level and in
    module-level classes)."""
    caches, seen = [], set()

    def add(obj):
        if isinstance(obj, functools._lru_cache_wrapper) and id(obj) not in seen:
            seen.add(id(obj))
            caches.append(obj)

    for name, module in list(sys.modules.items()):
        if not (name == "lerbook" or name.startswith("lerbook.")) or module is None:
            continue
        for obj in list(vars(module).values()):
            add(obj)
            if inspect.isclass(obj) and getattr(obj, "__module__", "") == name:
                for attr in vars(obj).values():
                    add(getattr(attr, "__func__", attr))
    return caches


def clear_caches() -> None:
    for cache in lerbook_caches():
        cache.cache_clear()


def cached_entries() -> int:
    return sum(cache.cache_info().currsize for cache in lerbook_caches())


# ------------------------------------------------------------------------------------------
# Slider positions
# ------------------------------------------------------------------------------------------
def _step_value(control, k: int) -> float:
    if control.log:
        low, high = math.log10(control.low), math.log10(control.high)
        return float(10 ** (low + k * (high - low) / control.steps))
    return float(control.low + k * (control.high - control.low) / control.steps)


def positions(control, rng: np.random.Generator, n_random: int) -> list[tuple[str, float]]:
    """The moves of one control: low, ``n_random`` random interior slider steps, high, and back
    to the starting value, as ``(label, value)``; a position equal to the current one (no
    change, so no update) is merged into its neighbour's label."""
    interior = []
    if control.steps >= 2 and n_random > 0:
        ks = rng.choice(np.arange(1, control.steps), size=min(n_random, control.steps - 1),
                        replace=False)
        interior = [(f"rand{i + 1}", _step_value(control, int(k))) for i, k in enumerate(ks)]
    wanted = [("low", float(control.low)), *interior, ("high", float(control.high)),
              ("value", float(control.value))]
    moves: list[list] = []
    current = float(control.value)
    for label, value in wanted:
        if math.isclose(value, current, rel_tol=1e-12, abs_tol=0.0):
            # Same as where the slider stands: name it, but it is not a move.
            if moves:
                moves[-1][0] += f"={label}"
            continue
        moves.append([label, value])
        current = value
    if moves and not math.isclose(moves[-1][1], control.value, rel_tol=1e-12):
        moves.append(["value", float(control.value)])  # always end where it started
    return [(label, value) for label, value in moves]


# ------------------------------------------------------------------------------------------
# Timing one explorer
# ------------------------------------------------------------------------------------------
#: Clock of the move timings: wall time by default; ``--cpu`` swaps in the process's CPU time
#: (``time.process_time``), which other work on a busy machine inflates far less (it leaves
#: out waiting, so it is a lower bound of what a reader waits for).
CLOCK = {"timer": time.perf_counter, "name": "wall"}


def _timed(function, *args, **kwargs):
    timer = CLOCK["timer"]
    start = timer()
    function(*args, **kwargs)
    return timer() - start


def _set(slider, value):
    slider.value = value


def summarize(values: list[float]) -> dict | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "worst": max(values), "n": len(values)}


def bench_explorer(label: str, factory, rng: np.random.Generator, n_random: int,
                   warm: bool = True) -> dict:
    """Construct one explorer, build its widget and time its moves (see the module docstring)."""
    record: dict = {"explorer": label, "moves": [], "errors": [], "warnings": 0}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            clear_caches()
            start = time.perf_counter()
            ex = factory()
            record["construct_s"] = time.perf_counter() - start
            start = time.perf_counter()
            ex.widget()
            record["first_draw_s"] = time.perf_counter() - start
        except Exception as error:
            record["errors"].append(f"construction: {error!r}")
            record["warnings"] = len(caught)
            return record
        record["title"] = ex.title
        record["controls"] = [c.name for c in ex.controls]

        moves = []
        for control in ex.controls:
            for where, value in positions(control, rng, n_random):
                moves.append({"control": control.name, "at": where, "value": value})

        def run(move, metric, action):
            try:
                move[metric] = _timed(action)
            except Exception as error:
                move[metric] = None
                record["errors"].append(f"{metric} {move['control']}={move['at']}: {error!r}")

        uses_caches = False
        for move in moves:  # cold: every lerbook cache emptied before each timing
            slider = ex.sliders[move["control"]]
            clear_caches()
            run(move, "model_cold",
                functools.partial(ex.compute, **{move["control"]: move["value"]}))
            clear_caches()
            run(move, "full_cold", functools.partial(_set, slider, move["value"]))
            uses_caches = uses_caches or cached_entries() > 0
        record["caches"] = uses_caches
        if warm and uses_caches:
            for move in moves:  # warm: every position visited already
                slider = ex.sliders[move["control"]]
                run(move, "model_warm",
                    functools.partial(ex.compute, **{move["control"]: move["value"]}))
                run(move, "full_warm", functools.partial(_set, slider, move["value"]))
        record["warnings"] = len(caught)
        record["warning_messages"] = sorted({str(w.message)[:160] for w in caught})[:5]
    record["moves"] = moves
    record["summary"] = {metric: summarize([m.get(metric) for m in moves]) for metric in METRICS}
    for metric in METRICS:
        timed = [m for m in moves if m.get(metric) is not None]
        if timed:
            worst = max(timed, key=lambda m: m[metric])
            record["summary"][metric]["worst_at"] = f"{worst['control']}={worst['at']}"
    with contextlib.suppress(Exception):
        import matplotlib.pyplot as plt

        plt.close(ex.view.fig)
    return record


# ------------------------------------------------------------------------------------------
# The ultraslow multi-timescale comparison, the test command and the book build
# ------------------------------------------------------------------------------------------
_TIMESCALE_PATTERNS = {
    "solver_60s_s": r"multi-timescale solver, .*?: ([\d.]+) s",
    "window_brute_s": r"brute-force integration: ([\d.]+) s",
    "window_multi_s": r"multi-timescale solver:\s+([\d.]+) s",
    "window_ratio": r"ratio brute / multi-timescale: ([\d.]+)",
    "extrapolated_brute_s": r"extrapolated: ([\d.e+-]+) s",
    "speedup": r"speed-up x([\d.e+-]+)",
}


def run_timescales() -> dict:
    """Run ``bench/ultraslow_timescales.py``'s ``main()`` and capture what it prints."""
    path = BENCH / "ultraslow_timescales.py"
    spec = importlib.util.spec_from_file_location("ultraslow_timescales", path)
    module = importlib.util.module_from_spec(spec)
    buffer = io.StringIO()
    start = time.perf_counter()
    try:
        spec.loader.exec_module(module)
        with contextlib.redirect_stdout(buffer), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module.main()
    except Exception as error:
        return {"error": repr(error), "output": buffer.getvalue(),
                "total_s": time.perf_counter() - start}
    output = buffer.getvalue()
    figures = {}
    for key, pattern in _TIMESCALE_PATTERNS.items():
        match = re.search(pattern, output)
        if match:
            figures[key] = float(match.group(1))
    return {"output": output, "figures": figures, "total_s": time.perf_counter() - start}


def run_command(command: list[str]) -> dict:
    """Run ``command`` from the repository root; its wall time, exit code and output tail."""
    log(f"running {' '.join(command)} (minutes) ...")
    start = time.perf_counter()
    process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    tail = (process.stdout + process.stderr).strip().splitlines()[-15:]
    log(f"  {' '.join(command)}: {elapsed:.1f} s, exit code {process.returncode}")
    return {"command": " ".join(command), "total_s": elapsed, "returncode": process.returncode,
            "tail": tail}


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------
def _ms(stat: dict | None, key: str) -> str:
    return "-" if not stat else f"{1e3 * stat[key]:.0f}"


def over_limits(record: dict) -> list[str]:
    """The explorer's timings over 100 ms median or 250 ms worst, as readable notes."""
    notes = []
    for metric in METRICS:
        stat = (record.get("summary") or {}).get(metric)
        if not stat:
            continue
        if stat["median"] > MEDIAN_LIMIT:
            notes.append(f"{metric} median {1e3 * stat['median']:.0f} ms")
        if stat["worst"] > WORST_LIMIT:
            notes.append(f"{metric} worst {1e3 * stat['worst']:.0f} ms ({stat['worst_at']})")
    return notes


def report(results: dict) -> str:
    lines = []
    explorers = results["explorers"]
    width = max([len("explorer")] + [len(r["explorer"]) for r in explorers])
    head = (f"{'explorer':<{width}}  {'moves':>5}  {'draw0':>5}  "
            f"{'model cold':>11}  {'full cold':>11}  {'model warm':>11}  {'full warm':>11}  flag")
    sub = (f"{'':<{width}}  {'':>5}  {'ms':>5}  " + "  ".join([f"{'med/worst':>11}"] * 4))
    lines += [head, sub, "-" * len(head)]
    for record in explorers:
        summary = record.get("summary")
        if not summary:
            lines.append(f"{record['explorer']:<{width}}  failed: {'; '.join(record['errors'])}")
            continue
        cells = [f"{_ms(summary[m], 'median'):>5}/{_ms(summary[m], 'worst'):<5}"
                 for m in METRICS]
        flag = ""
        if any(summary[m] and summary[m]["median"] > MEDIAN_LIMIT for m in METRICS):
            flag += "M"
        if any(summary[m] and summary[m]["worst"] > WORST_LIMIT for m in METRICS):
            flag += "W"
        if record["errors"]:
            flag += "!"
        moves = sum(1 for m in record["moves"])
        lines.append(f"{record['explorer']:<{width}}  {moves:>5}  "
                     f"{1e3 * record['first_draw_s']:>5.0f}  " + "  ".join(cells) + f"  {flag}")
    clock = results["meta"].get("clock", "wall")
    lines.append(f"times in ms ({clock} clock), one run per move; cold: lerbook caches emptied "
                 "before each move; "
                 "warm: position seen before ('-': the explorer caches nothing);")
    lines.append("draw0: ex.widget() (first compute + draw); flag M: a median over "
                 f"{MEDIAN_LIMIT * 1e3:.0f} ms, W: a worst over {WORST_LIMIT * 1e3:.0f} ms, "
                 "!: errors")

    slow = [(r["explorer"], over_limits(r)) for r in explorers]
    slow = [(name, notes) for name, notes in slow if notes]
    lines.append("")
    if slow:
        lines.append(f"over {MEDIAN_LIMIT * 1e3:.0f} ms median or {WORST_LIMIT * 1e3:.0f} ms "
                     "worst:")
        for name, notes in slow:
            lines.append(f"  {name}: " + "; ".join(notes))
    else:
        lines.append(f"no explorer over {MEDIAN_LIMIT * 1e3:.0f} ms median or "
                     f"{WORST_LIMIT * 1e3:.0f} ms worst")
    for record in explorers:
        for error in record["errors"][:3]:
            lines.append(f"  error in {record['explorer']}: {error}")

    timescales = results.get("timescales")
    if timescales:
        lines += ["", "multi-timescale solver vs brute force (bench/ultraslow_timescales.py):"]
        lines += ["  " + line for line in timescales.get("output", "").strip().splitlines()]
        if "error" in timescales:
            lines.append(f"  failed: {timescales['error']}")
    for key, title in (("tests", "test command"), ("build", "book build")):
        if results.get(key):
            run = results[key]
            lines.append(f"{title} ({run['command']}): {run['total_s']:.1f} s, "
                         f"exit code {run['returncode']}")
    meta = results["meta"]
    lines += ["", f"total runtime of this script: {results['total_s']:.1f} s "
              f"(explorers {results['explorers_s']:.1f} s); load average "
              f"{meta['load_start']} at start, {meta['load_end']} at end; "
              f"{meta['cpus']} CPUs"]
    return "\n".join(lines)


def _meta() -> dict:
    import matplotlib
    import scipy

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True,
                                  text=True, timeout=30).stdout.strip()
        except Exception:
            return ""

    return {"timestamp": _dt.datetime.now().isoformat(timespec="seconds"),
            "commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain")),
            "python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "matplotlib": matplotlib.__version__,
            "backend": matplotlib.get_backend(), "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_start": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", metavar="TEXT",
                        help="only explorers whose 'chapter.name' contains one of these")
    parser.add_argument("--random", type=int, default=2,
                        help="random interior slider steps per control (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random positions")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm (cached) pass")
    parser.add_argument("--cpu", action="store_true",
                        help="time moves in process CPU time instead of wall time (steadier "
                             "on a busy machine; compare only with runs timed the same way)")
    parser.add_argument("--no-timescales", action="store_true",
                        help="skip bench/ultraslow_timescales.py")
    parser.add_argument("--tests", action="store_true",
                        help="also time `make unit notebooks-test` (minutes)")
    parser.add_argument("--build", action="store_true",
                        help="also time `make book` (minutes)")
    parser.add_argument("--out", type=Path,
                        help="JSON file of the results (default bench/results/<timestamp>.json)")
    parser.add_argument("--no-save", action="store_true", help="do not write the JSON file")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"),
                        help="print the ratios NEW/OLD of two saved runs, and run nothing else")
    args = parser.parse_args(argv)

    if args.compare:
        import compare

        print(compare.compare_files(*args.compare))
        return 0

    if args.cpu:
        CLOCK.update(timer=time.process_time, name="cpu")
    start_all = time.perf_counter()
    meta = _meta()
    meta["clock"] = CLOCK["name"]
    log(f"lerbook explorer benchmark, backend {meta['backend']}, load {meta['load_start']}")
    found = discover(args.only)
    log(f"{len(found)} explorers: {', '.join(label for label, _ in found)}")
    rng = np.random.default_rng(args.seed)

    explorers = []
    start = time.perf_counter()
    for i, (label, factory) in enumerate(found, 1):
        t0 = time.perf_counter()
        log(f"[{i}/{len(found)}] {label} ...")
        try:
            record = bench_explorer(label, factory, rng, args.random, warm=not args.no_warm)
        except Exception:
            record = {"explorer": label, "moves": [], "warnings": 0,
                      "errors": [traceback.format_exc(limit=3)]}
        explorers.append(record)
        full = (record.get("summary") or {}).get("full_cold")
        log(f"    {len(record['moves'])} moves, {time.perf_counter() - t0:.1f} s"
            + (f", full cold median {1e3 * full['median']:.0f} ms" if full else "")
            + (f", {len(record['errors'])} errors" if record["errors"] else ""))
    explorers_s = time.perf_counter() - start

    results = {"meta": meta, "explorers": explorers, "explorers_s": explorers_s,
               "settings": {"random": args.random, "seed": args.seed, "warm": not args.no_warm,
                            "median_limit_s": MEDIAN_LIMIT, "worst_limit_s": WORST_LIMIT}}
    if not args.no_timescales:
        log("bench/ultraslow_timescales.py ...")
        results["timescales"] = run_timescales()
    if args.tests:
        results["tests"] = run_command(TESTS_COMMAND)
    if args.build:
        results["build"] = run_command(BUILD_COMMAND)
    meta["load_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = time.perf_counter() - start_all

    print(report(results))
    if not args.no_save:
        out = args.out or RESULTS / f"{_dt.datetime.now():%Y%m%d-%H%M%S}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1, default=float) + "\n")
        log(f"saved {out}")
        print(f"results saved to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
