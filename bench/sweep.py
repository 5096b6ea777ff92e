"""How the cost of a training step grows: the three variants of bench/variants.py as the
state size, the window length and the batch grow, one at a time from chapter 3's sizes.

    python -m bench.sweep [--repeats 2] [--output bench/sweep.json]   (part of: make bench)

Every point is a fresh process per variant, interleaved as in bench/run.py; steps per
second are measured over the second epoch (the first holds tracing and compilation),
the median of the repeats.
An epoch is as many windows as make about 3 GFLOP of matrix products (between 20 and
300), so that big sizes stay affordable and small ones are not all start-up.

The compute ceiling is the steps per second the machine would reach if a step cost only
its matrix products (Sizes.flops_per_step) at the best rate this machine multiplies
large matrices (measured with TensorFlow, 1024 x 1024 float32, at the start and at the
end of the sweep, the better of the two): no variant can
beat it, and the distance to it is what per-operation overhead costs.
"""

import argparse
import dataclasses
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

from bench.run import run_variant
from bench.variants import VARIANTS, Sizes

RESULTS = Path(__file__).with_name("sweep.json")
AXES = {
    "state_size": [16, 32, 64, 128, 256, 512],
    "num_steps": [10, 20, 50, 100],
    "batch_size": [200, 500, 1000, 2000],
}
FLOPS_PER_EPOCH = 3e9


def windows_for(sizes):
    return int(np.clip(FLOPS_PER_EPOCH // sizes.flops_per_step(), 20, 300))


def peak_flops(size=1024, repeats=20):
    """The best rate of a large float32 matrix product on this machine, in FLOP/s."""
    import tensorflow as tf

    a = tf.random.stateless_normal([size, size], seed=[1, 2])
    product = tf.function(lambda a: tf.reduce_sum(a @ a))
    product(a).numpy()  # trace and warm up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        product(a).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    peak = peak_flops()
    print(f"best matrix-product rate: {peak / 1e9:.1f} GFLOP/s", flush=True)
    axes = {}
    for axis, values in AXES.items():
        points = []
        for value in values:
            sizes = Sizes(**{axis: value})
            sizes = Sizes(**{axis: value, "windows": windows_for(sizes)})
            options = [f"--{axis.replace('_', '-')}", str(value), "--windows", str(sizes.windows)]
            speeds = {name: [] for name in VARIANTS}
            for _ in range(args.repeats):
                for name in VARIANTS:
                    run = run_variant(name, 2, seed=0, options=options)
                    speeds[name].append(run["steps_per_s"])
            point = {
                "value": value, "windows": sizes.windows,
                "flops_per_step": sizes.flops_per_step(),
                "ceiling_steps_per_s": peak / sizes.flops_per_step(),
                "steps_per_s": {name: float(np.median(s)) for name, s in speeds.items()},
            }
            points.append(point)
            print(f"{axis} {value:5d}: " + "  ".join(
                f"{name} {point['steps_per_s'][name]:8.1f}" for name in VARIANTS)
                + f"  ceiling {point['ceiling_steps_per_s']:9.1f} steps/s", flush=True)
        axes[axis] = points

    # Measured again at the end: the best of the two, so that a busy spell of the
    # machine at the start does not lower the ceiling.
    peak = max(peak, peak_flops())
    for points in axes.values():
        for point in points:
            point["ceiling_steps_per_s"] = peak / point["flops_per_step"]
    import tensorflow as tf

    results = {
        "axes": axes, "peak_flops": peak, "defaults": dataclasses.asdict(Sizes()),
        "settings": {
            "repeats": args.repeats, "tensorflow": tf.__version__,
            "python": platform.python_version(), "cpu_count": os.cpu_count(),
            "machine": platform.machine(),
            "gpu": bool(tf.config.list_physical_devices("GPU")),
            "date": time.strftime("%Y-%m-%d"),
        },
    }
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\n{'axis':>10} {'value':>6} {'taught/base':>11} {'fastest/base':>12} "
          f"{'fastest/ceiling':>15}")
    for axis, points in axes.items():
        for p in points:
            s = p["steps_per_s"]
            print(f"{axis:>10} {p['value']:6d} {s['taught'] / s['baseline']:11.2f} "
                  f"{s['fastest'] / s['baseline']:12.2f} "
                  f"{s['fastest'] / p['ceiling_steps_per_s']:15.3f}")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
