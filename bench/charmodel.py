"""Which character model pays on two CPU cores: chapter 8's design choices, measured.

    python -m bench.charmodel [--seconds 130] [--output bench/charmodel.json]   (make bench)

Each variant of chapter 8's model (rnnbook.charrnn.CharModel, the chapter's data,
batch, window and optimiser) trains for the same wall-clock budget in a fresh process,
one after the other, and reports its validation loss as it goes. The budget is turned
into a number of updates from the variant's own speed, measured first over a few
updates after tracing. A second table gives the speed of each variant's training step
compiled by tf.function alone and with XLA (jit_compile=True), side by side in one
process: updates per second and their ratio.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("charmodel.json")
VARIANTS = {
    "LSTM 256": {"units": 256},
    "GRU 256": {"units": 256, "cell": "gru"},
    "LSTM 512": {"units": 512},
    "2 x LSTM 256": {"units": 256, "num_layers": 2},
    "2 x LSTM 256, dropout 0.2": {"units": 256, "num_layers": 2, "dropout": 0.2},
}
BATCH, STEPS, LEARNING_RATE, EVALUATIONS = 64, 64, 0.003, 6


def setup(options, seed=0):
    import keras

    from rnnbook.charrnn import CharModel
    from rnnbook.text import Vocabulary, load_shakespeare, train_val_split

    text = load_shakespeare()
    vocabulary = Vocabulary(text)
    train, val = train_val_split(vocabulary.encode(text))
    keras.utils.set_random_seed(seed)
    model = CharModel(len(vocabulary), **options)
    optimizer = keras.optimizers.Adam(LEARNING_RATE, global_clipnorm=1.0)
    return model, optimizer, train, val


def make_step(model, optimizer, jit_compile):
    import tensorflow as tf

    from rnnbook.rnn import sequence_loss

    @tf.function(jit_compile=jit_compile)
    def step(x, y, state):
        with tf.GradientTape() as tape:
            logits, state = model(x, state, training=True)
            loss = sequence_loss(y, logits)
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss, state

    return step


def updates_per_second(options, jit_compile, updates=20):
    """Speed of one training step, after 3 warm-up updates (tracing, compiling)."""
    from rnnbook.charrnn import text_windows

    model, optimizer, train, _ = setup(options)
    step = make_step(model, optimizer, jit_compile)
    xs, ys = text_windows(train, BATCH, STEPS)
    state = model.zero_state(BATCH)
    for k in range(3):
        loss, state = step(xs[k], ys[k], state)
    float(loss)  # wait for the warm-up to finish
    start = time.perf_counter()
    for k in range(3, 3 + updates):
        loss, state = step(xs[k], ys[k], state)
    float(loss)
    return updates / (time.perf_counter() - start)


def train_variant(name, seconds):
    """Train one variant for about `seconds` of training time (run in its own process)."""
    from rnnbook.charrnn import train_text

    options = VARIANTS[name]
    rate = updates_per_second(options, jit_compile=False)
    updates = int(seconds * rate)
    every = max(1, updates // EVALUATIONS)
    model, optimizer, train, val = setup(options)
    history = train_text(model, optimizer, train, BATCH, STEPS, updates, val_ids=val,
                         evaluate_every=every)
    return {
        "options": options,
        "weights": model.count_params(),
        "updates": updates,
        "training_seconds": history["seconds"][-1],
        "val_update": history["val_update"],
        "val_seconds": [history["seconds"][u - 1] for u in history["val_update"]],
        "val_loss": history["val_loss"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=130)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--variant", help=argparse.SUPPRESS)  # one variant, in a child
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(train_variant(args.variant, args.seconds)))
        return

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    trained = {}
    for name in VARIANTS:
        child = subprocess.run(
            [sys.executable, "-m", "bench.charmodel", "--variant", name,
             "--seconds", str(args.seconds)],
            check=True, capture_output=True, text=True, env=env)
        trained[name] = json.loads(child.stdout.strip().splitlines()[-1])
        print(f"{name:28} {trained[name]['updates']:5d} updates  "
              f"validation {trained[name]['val_loss'][-1]:.3f}", flush=True)

    speed = {}
    for name, options in VARIANTS.items():
        plain = updates_per_second(options, jit_compile=False)
        xla = updates_per_second(options, jit_compile=True)
        speed[name] = {"tf.function": plain, "XLA": xla, "XLA / tf.function": xla / plain}
        print(f"{name:28} {plain:6.1f} updates/s, XLA {xla:6.1f} ({xla / plain:.2f}x)",
              flush=True)

    import tensorflow as tf

    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "gpu": bool(tf.config.list_physical_devices("GPU"))},
        "settings": {"date": time.strftime("%Y-%m-%d"), "tensorflow": tf.__version__,
                     "seconds": args.seconds, "batch_size": BATCH, "num_steps": STEPS,
                     "learning_rate": LEARNING_RATE},
        "trained": trained,
        "speed": speed,
    }
    args.output.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
