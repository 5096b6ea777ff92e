"""Run the benchmark: every variant of bench/variants.py, in turn, several times each.

    python -m bench.run [--repeats 3] [--epochs 3]      (part of: make bench)

Each run is a fresh process (the baseline needs eager execution off, and a fresh process
measures peak memory per variant). Runs are interleaved (baseline, taught, fastest,
baseline, ...) so that a slow spell of a noisy machine hits every variant alike. Writes
bench/results.json and prints a table; the benchmark appendix of the book plots it.

The fastest variant spends most of a short run compiling. It is run twice per repeat:
as is, and with XLA's persistent compilation cache filled by an earlier run
("fastest_warm"), which is what a second run of the same program on the same machine
sees.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.variants import VARIANTS, Sizes
from rnnbook.plots import running_mean

RESULTS = Path(__file__).with_name("results.json")
TARGET_LOSS = 0.47  # the 100-step running mean loss that counts as "learned"


def run_variant(variant, epochs, seed, options=(), xla_cache=None):
    """One run in a fresh process; options are extra command-line arguments (sizes);
    xla_cache, a folder for XLA's persistent compilation cache."""
    command = [sys.executable, "-m", "bench.variants", variant, "--epochs", str(epochs),
               "--seed", str(seed), *options]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if xla_cache:
        flags = env.get("TF_XLA_FLAGS", "")
        env["TF_XLA_FLAGS"] = f"{flags} --tf_xla_persistent_cache_directory={xla_cache}".strip()
    result = subprocess.run(command, capture_output=True, text=True, env=env,
                            cwd=Path(__file__).parents[1], check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{variant} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def steps_to_target(losses, width=100):
    """How many steps until the running mean of `width` losses first falls below target."""
    below = np.flatnonzero(running_mean(losses, width) < TARGET_LOSS)
    return int(below[0] + width) if len(below) else None


def seconds_to_target(losses, times, width=100):
    steps = steps_to_target(losses, width)
    return float(times[steps - 1]) if steps else None


def start_up_seconds(run):
    """What the first epoch took beyond its steps at the steady rate: building the graph,
    tracing, compiling."""
    steps_per_epoch = len(run["losses"]) // len(run["epoch_seconds"])
    return run["epoch_seconds"][0] - steps_per_epoch / run["steps_per_s"]


def summarise(runs):
    steps = [r["steps_per_s"] for r in runs]
    reached = [seconds_to_target(r["losses"], r["times"]) for r in runs]
    reached = [s for s in reached if s is not None]
    median_run = sorted(runs, key=lambda r: r["steps_per_s"])[len(runs) // 2]
    curve = running_mean(median_run["losses"], 100)
    return {
        "steps_per_s": float(np.median(steps)),
        "steps_per_s_min": float(np.min(steps)),
        "steps_per_s_max": float(np.max(steps)),
        "seconds_to_0_47": float(np.median(reached)) if reached else None,
        "runs_reaching_0_47": len(reached),
        "steps_to_0_47": float(np.median([steps_to_target(r["losses"]) or np.nan
                                          for r in runs])),
        "start_up_seconds": float(np.median([start_up_seconds(r) for r in runs])),
        "final_loss": float(np.median([np.mean(r["losses"][-100:]) for r in runs])),
        "peak_rss_mb": float(np.max([r["peak_rss_mb"] for r in runs])),
        # the running-mean loss of the median run against time, every 10th step, to plot
        "curve_seconds": [float(t) for t in np.asarray(median_run["times"])[99::10]],
        "curve_loss": [float(v) for v in curve[::10]],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    names = [*VARIANTS, "fastest_warm"]
    runs = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="xla-cache-") as xla_cache:
        # Fill the cache with the same number of epochs: a run of another length was
        # compiled under another cache key when we measured.
        run_variant("fastest", args.epochs, seed=0, xla_cache=xla_cache)
        for repeat in range(args.repeats):
            for name in names:
                start = time.perf_counter()
                variant, cache = ("fastest", xla_cache) if name == "fastest_warm" else (name, None)
                runs[name].append(run_variant(variant, args.epochs, seed=0, xla_cache=cache))
                print(f"repeat {repeat + 1}/{args.repeats} {name:>12}: "
                      f"{runs[name][-1]['steps_per_s']:7.0f} steps/s "
                      f"({time.perf_counter() - start:.1f} s with start-up)", flush=True)

    results = {name: summarise(variant_runs) for name, variant_runs in runs.items()}
    for summary in results.values():
        summary["ratio_to_baseline"] = summary["steps_per_s"] / results["baseline"]["steps_per_s"]
    import tensorflow as tf

    sizes = Sizes()
    results["settings"] = {
        "batch_size": sizes.batch_size, "num_steps": sizes.num_steps,
        "state_size": sizes.state_size, "learning_rate": sizes.learning_rate,
        "epochs": args.epochs, "repeats": args.repeats, "seed": 0,
        "tensorflow": tf.__version__, "python": platform.python_version(),
        "cpu_count": os.cpu_count(), "machine": platform.machine(),
        "gpu": bool(tf.config.list_physical_devices("GPU")),
        "date": time.strftime("%Y-%m-%d"),
    }
    args.output.write_text(json.dumps(results, indent=1) + "\n")

    print(f"\n{'variant':>12} {'steps/s (min-max)':>22} {'x baseline':>10} "
          f"{'start-up s':>10} {'s to 0.47':>9} {'final loss':>10} {'peak MB':>8}")
    for name in names:
        r = results[name]
        reach = f"{r['seconds_to_0_47']:.1f}" if r["seconds_to_0_47"] is not None else "never"
        print(f"{name:>12} {r['steps_per_s']:8.0f} ({r['steps_per_s_min']:.0f}-"
              f"{r['steps_per_s_max']:.0f}) {r['ratio_to_baseline']:10.2f} "
              f"{r['start_up_seconds']:10.2f} {reach:>9} "
              f"{r['final_loss']:10.4f} {r['peak_rss_mb']:8.0f}")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
