"""Time a fixed piece of single-core work, a rough guide to how fast this machine is when
comparing CI runs (it does not track every change of speed: see ci/README.md).

    python ci/machine_speed.py      (ci/run_tests.sh runs it first and last)
"""

import time

import numpy as np


def fixed_work():
    total = 0
    for i in range(1_500_000):  # the interpreter: nbgrader, the wire, the screen
        total += i * i % 7
    x = np.random.default_rng(0).standard_normal(200_000)
    for _ in range(300):  # element-wise maths: what a small RNN's kernels do
        x = np.tanh(x * 1.01 + 0.1)
    return total, float(x.sum())


if __name__ == "__main__":
    best = float("inf")
    for _ in range(3):  # the best of three: a moment's noise is not the machine's speed
        start = time.perf_counter()
        fixed_work()
        best = min(best, time.perf_counter() - start)
    print(f"machine speed: the fixed work of ci/machine_speed.py took {best:.3f} s")
