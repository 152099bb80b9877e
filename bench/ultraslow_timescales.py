"""Timing of the multi-timescale solver of lerbook.ultraslow against brute-force integration.

Run:  .venv/bin/python bench/ultraslow_timescales.py

Prints
1. the time :func:`lerbook.ultraslow.simulate` takes for 60 s of 405 nm, 200 mW cm^-2 pulses
   at 1 MHz (6e7 pulses), with empty caches;
2. the time :func:`lerbook.ultraslow.full_integration` takes to integrate every pulse of a
   short window (a fast reservoir, tau_LER = 0.3 ms, 300 pulses + dark), the multi-timescale
   solver's time on the same window, their ratio, and the agreement of the two;
3. the brute-force time extrapolated to the 60 s run (per-pulse cost x 6e7) and the speed-up.
"""

from __future__ import annotations

import time

import numpy as np

from lerbook import ultraslow as us

RATE = 1e6  # Hz
INTENSITY = 200.0  # mW cm^-2
MINUTE = 60.0  # s
WINDOW = 3e-4  # s of pulses in the brute-force window, then half as long in the dark


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    params = us.UltraslowParameters()
    minute = us.IlluminationProtocol.constant(INTENSITY, MINUTE, repetition_rate=RATE)
    us.clear_cache()
    run, solver_time = _timed(us.simulate, params, minute)
    print(f"multi-timescale solver, {MINUTE:.0f} s at {RATE:.0e} Hz "
          f"({MINUTE * RATE:.0e} pulses): {solver_time:.3f} s "
          f"(PL x{run.relative_pl[-1]:.2f} at the end)")

    fast = params.with_kinetics(lifetime=3e-4, formation_yield=3e15)
    window = us.IlluminationProtocol((us.Segment(WINDOW, INTENSITY, repetition_rate=RATE),
                                      us.Segment(WINDOW / 2)))
    separation = us.timescale_separation(fast, window.segments[0])
    t = np.linspace(0.0, 1.5 * WINDOW, 31)[1:]
    us.clear_cache()
    quick, quick_time = _timed(us.simulate, fast, window, t)
    brute, brute_time = _timed(us.full_integration, fast, window, t)
    lit = quick.pl > 0
    pl_error = float(np.max(np.abs(brute.pl[lit] / quick.pl[lit] - 1.0)))
    density_error = float(np.max(np.abs(brute.density - quick.density)) / quick.density.max())
    print(f"short window: tau_LER = {fast.kinetics.lifetime * 1e3:.1f} ms, "
          f"{brute.pulses} pulses + {WINDOW / 2 * 1e3:.2f} ms dark, "
          f"fast/slow time ratio {separation.ratio:.1e}")
    print(f"  brute-force integration: {brute_time:.3f} s")
    print(f"  multi-timescale solver:  {quick_time:.3f} s")
    print(f"  ratio brute / multi-timescale: {brute_time / quick_time:.1f}")
    print(f"  agreement: PL within {100 * pl_error:.3f} %, n_LER within "
          f"{100 * density_error:.3f} % of its maximum")
    per_pulse = brute_time / brute.pulses
    extrapolated = per_pulse * MINUTE * RATE
    print(f"brute force for {MINUTE:.0f} s at {RATE:.0e} Hz, extrapolated: "
          f"{extrapolated:.2e} s (~{extrapolated / 86400:.1f} days); "
          f"speed-up x{extrapolated / solver_time:.1e}")


if __name__ == "__main__":
    main()
