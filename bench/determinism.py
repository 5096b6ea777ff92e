"""What op determinism costs chapter 8's training, and whether it is needed on a CPU.

    python -m bench.determinism [--updates 120] [--repeats 2]

Chapter 8's model, data, batch, window and optimiser (the set-up of bench.charmodel)
train for `updates` updates from the same seed, each run in a fresh process, with
TensorFlow's defaults and with `tf.config.experimental.enable_op_determinism()`,
alternating so that the machine's drift hits both alike. Printed side by side: the
milliseconds per update (after tracing) and their ratio, and the loss after the last
update of every run, so that it shows which setting gives the same number twice.
Written to bench/determinism.json, keyed by the intra-op thread count.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("determinism.json")


def train(updates, deterministic):
    import tensorflow as tf

    from bench.charmodel import BATCH, STEPS, make_step, setup
    from rnnbook.charrnn import text_windows

    if deterministic:
        tf.config.experimental.enable_op_determinism()
    model, optimizer, train_ids, _ = setup({"units": 256})
    step = make_step(model, optimizer, jit_compile=False)
    xs, ys = text_windows(train_ids, BATCH, STEPS)
    state = model.zero_state(BATCH)
    loss, state = step(xs[0], ys[0], state)  # trace
    float(loss)
    start = time.perf_counter()
    for k in range(1, updates):
        loss, state = step(xs[k], ys[k], state)
    loss = float(loss)
    return {"ms_per_update": 1000 * (time.perf_counter() - start) / (updates - 1),
            "loss": loss}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--child", choices=["default", "deterministic"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(train(args.updates, args.child == "deterministic")))
        return
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    runs = {"default": [], "deterministic": []}
    for _ in range(args.repeats):
        for name in runs:
            child = subprocess.run(
                [sys.executable, "-m", "bench.determinism", "--child", name,
                 "--updates", str(args.updates)],
                check=True, capture_output=True, text=True, env=env)
            runs[name].append(json.loads(child.stdout.strip().splitlines()[-1]))
    threads = os.environ.get("TF_NUM_INTRAOP_THREADS", "TensorFlow's default")
    print(f"{args.updates} updates of chapter 8's model, intra-op threads: {threads}")
    for name, results in runs.items():
        times = ", ".join(f"{r['ms_per_update']:.1f}" for r in results)
        losses = ", ".join(f"{r['loss']:.9f}" for r in results)
        print(f"{name:>14}: ms per update {times}; final loss {losses}")
    mean = {n: sum(r["ms_per_update"] for r in rs) / len(rs) for n, rs in runs.items()}
    print(f"deterministic / default time: {mean['deterministic'] / mean['default']:.3f}")
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    saved[threads] = {"updates": args.updates, "runs": runs,
                      "time_ratio": mean["deterministic"] / mean["default"]}
    RESULTS.write_text(json.dumps(saved, indent=1) + "\n")


if __name__ == "__main__":
    main()
