"""Compare two runs of bench/explorers.py: per-explorer ratios NEW / OLD.

Run:  .venv/bin/python bench/compare.py OLD.json NEW.json
 (or  .venv/bin/python bench/explorers.py --compare OLD.json NEW.json)

A ratio above 1 means NEW is slower. Single moves are timed once on a possibly busy machine, so
read ratios within about +-30 % as noise; each file records the load average of its run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

METRICS = ("model_cold", "full_cold", "model_warm", "full_warm")


def _ratio(old, new) -> str:
    if old is None or new is None:
        return "-"
    if old <= 0:
        return "inf" if new > 0 else "1.00"
    return f"{new / old:.2f}"


def _stat(record: dict | None, metric: str, key: str):
    stat = ((record or {}).get("summary") or {}).get(metric)
    return stat[key] if stat else None


def compare(old: dict, new: dict) -> str:
    """The comparison table of two result dictionaries, as text."""
    olds = {r["explorer"]: r for r in old.get("explorers", [])}
    news = {r["explorer"]: r for r in new.get("explorers", [])}
    names = list(news) + [name for name in olds if name not in news]
    width = max([len("explorer")] + [len(n) for n in names])
    head = f"{'explorer':<{width}}  " + "  ".join(f"{m:>11}" for m in METRICS)
    lines = [f"ratios NEW/OLD (median/worst); OLD {old['meta'].get('timestamp')} "
             f"load {old['meta'].get('load_start')}, NEW {new['meta'].get('timestamp')} "
             f"load {new['meta'].get('load_start')}", head,
             f"{'':<{width}}  " + "  ".join(f"{'med/worst':>11}" for _ in METRICS),
             "-" * len(head)]
    for name in names:
        if name not in olds:
            lines.append(f"{name:<{width}}  (new explorer)")
            continue
        if name not in news:
            lines.append(f"{name:<{width}}  (gone)")
            continue
        cells = []
        for metric in METRICS:
            med = _ratio(_stat(olds[name], metric, "median"), _stat(news[name], metric, "median"))
            worst = _ratio(_stat(olds[name], metric, "worst"), _stat(news[name], metric, "worst"))
            cells.append(f"{med:>5}/{worst:<5}")
        lines.append(f"{name:<{width}}  " + "  ".join(cells))

    lines.append("")
    old_ts = (old.get("timescales") or {}).get("figures", {})
    new_ts = (new.get("timescales") or {}).get("figures", {})
    for key in ("solver_60s_s", "window_brute_s", "window_multi_s", "speedup"):
        if key in old_ts and key in new_ts:
            lines.append(f"timescales {key}: {old_ts[key]:.3g} -> {new_ts[key]:.3g} "
                         f"(x{_ratio(old_ts[key], new_ts[key])})")
    for key in ("tests", "build"):
        a, b = old.get(key), new.get(key)
        if a and b:
            lines.append(f"{key} ({b['command']}): {a['total_s']:.1f} s -> {b['total_s']:.1f} s "
                         f"(x{_ratio(a['total_s'], b['total_s'])})")
    lines.append(f"explorers total: {old['explorers_s']:.1f} s -> {new['explorers_s']:.1f} s "
                 f"(x{_ratio(old['explorers_s'], new['explorers_s'])})")
    return "\n".join(lines)


def compare_files(old_path: Path, new_path: Path) -> str:
    return compare(json.loads(Path(old_path).read_text()), json.loads(Path(new_path).read_text()))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(compare_files(sys.argv[1], sys.argv[2]))
