"""The dependency-task RNN of chapter 3 trained three ways, each in its own process.

    python -m bench.variants baseline|taught|fastest --epochs 3 --seed 0
        [--batch-size 200 --num-steps 10 --state-size 16 --windows 500]

prints one JSON line: per-step losses, the time each step finished, the training-loop
steps per second after warm-up, and the peak resident memory. bench/run.py runs the
variants in turn, several times each, and summarises.

All three start from the same weights (rnnbook.rnn.VanillaRNN's seeded NumPy
initialisation) and see the same data, so they compute the same updates up to
floating-point rounding; only the machinery differs.
"""

import argparse
import dataclasses
import json
import resource
import sys
import time

import numpy as np
import tensorflow as tf


@dataclasses.dataclass(frozen=True)
class Sizes:
    """The sizes of one benchmark run. The defaults are chapter 3's: an epoch is a
    series of a million steps, 500 windows of 200 x 10."""

    batch_size: int = 200
    num_steps: int = 10
    state_size: int = 16
    windows: int = 500  # windows per epoch
    learning_rate: float = 0.1

    @property
    def series_length(self):
        return self.batch_size * self.num_steps * self.windows

    def flops_per_step(self):
        """Floating-point operations of one training window, counting only matrix
        products (2 per multiply-add): forward, the state's [batch, 2 + state] @
        [2 + state, state] and the output's [batch, state] @ [state, 2] per time step;
        backward, about twice the forward."""
        d = self.state_size
        forward = self.num_steps * self.batch_size * 2 * ((2 + d) * d + 2 * d)
        return 3 * forward


def epochs_of_data(num_epochs, seed, sizes=Sizes()):
    """One fresh dependency series per epoch, cut into [num_windows, batch, num_steps]."""
    from rnnbook import dependency_series
    from rnnbook.rnn import stacked_windows

    rng = np.random.default_rng(seed)
    return [
        stacked_windows(*dependency_series(sizes.series_length, rng), sizes.batch_size,
                        sizes.num_steps)
        for _ in range(num_epochs)
    ]


def initial_weights(seed, sizes=Sizes()):
    """W, b_s, U, b_p as NumPy arrays, exactly as VanillaRNN(state_size, seed=seed) starts."""
    from rnnbook.rnn import VanillaRNN

    model = VanillaRNN(sizes.state_size, seed=seed)
    return [v.numpy() for v in (model.W, model.b_s, model.U, model.b_p)]


def baseline(data, weights, sizes=Sizes()):
    """The originals' TF1 graph: a list of num_steps tensors, Session.run per window,
    the final state fetched as NumPy and fed back through feed_dict."""
    tf.compat.v1.disable_eager_execution()
    v1 = tf.compat.v1
    batch_size, state_size = sizes.batch_size, sizes.state_size
    x = v1.placeholder(tf.int32, [batch_size, sizes.num_steps])
    y = v1.placeholder(tf.int32, [batch_size, sizes.num_steps])
    init_state = v1.placeholder(tf.float32, [batch_size, state_size])
    W, b_s, U, b_p = (tf.Variable(w) for w in weights)
    rnn_inputs = tf.unstack(tf.one_hot(x, 2), axis=1)
    state, outputs = init_state, []
    for rnn_input in rnn_inputs:
        state = tf.tanh(tf.matmul(tf.concat([rnn_input, state], 1), W) + b_s)
        outputs.append(state)
    final_state = state
    logits = [tf.matmul(output, U) + b_p for output in outputs]
    losses = [
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label, logits=logit)
        for label, logit in zip(tf.unstack(y, axis=1), logits, strict=True)
    ]
    total_loss = tf.reduce_mean(losses)
    train_op = v1.train.AdagradOptimizer(sizes.learning_rate).minimize(total_loss)

    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        losses, times, epoch_seconds = [], [], []
        start = time.perf_counter()
        for xs, ys in data:
            epoch_start = time.perf_counter()
            state_value = np.zeros((batch_size, state_size), np.float32)
            for x_window, y_window in zip(xs, ys, strict=True):
                loss, state_value, _ = session.run(
                    [total_loss, final_state, train_op],
                    feed_dict={x: x_window, y: y_window, init_state: state_value})
                losses.append(float(loss))
                times.append(time.perf_counter() - start)
            epoch_seconds.append(time.perf_counter() - epoch_start)
    return losses, times, epoch_seconds


def taught(data, weights, sizes=Sizes()):
    """Chapter 3's loop: rnnbook.rnn.make_train_epoch, one tf.function call per epoch."""
    import keras

    from rnnbook.rnn import VanillaRNN, make_train_epoch

    model = VanillaRNN(sizes.state_size)
    for variable, value in zip((model.W, model.b_s, model.U, model.b_p), weights, strict=True):
        variable.assign(value)
    train_epoch = make_train_epoch(model, keras.optimizers.Adagrad(sizes.learning_rate))
    return run_epochs(lambda xs, ys: train_epoch(tf.constant(xs), tf.constant(ys)), data)


def bptt_by_hand(W, b_s, U, b_p, x, y, state):
    """Loss, final state and gradients of one window, with the backward pass written out.

    The same numbers as tf.GradientTape gives (tests/test_bench.py checks it), with fewer
    and larger operations: every product that does not depend on the recurrence is done
    once for the whole window, and only a [batch, state] @ [state, state] product per
    step remains inside each of the two loops.
    """
    batch_size, num_steps = x.shape
    recurrent = W[2:]
    inputs = tf.one_hot(x, 2)                           # [batch, steps, 2]
    input_part = inputs @ W[:2] + b_s                   # all steps at once
    states, previous = [], []
    for t in range(num_steps):                          # forward: the recurrence
        previous.append(state)
        state = tf.tanh(input_part[:, t] + state @ recurrent)
        states.append(state)
    S, S_prev = tf.stack(states, axis=1), tf.stack(previous, axis=1)
    logits = S @ U + b_p
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    # d loss / d logits of a mean softmax cross-entropy: (softmax - one_hot) / count
    d_logits = (tf.nn.softmax(logits) - tf.one_hot(y, 2)) / (batch_size * num_steps)
    d_from_output = d_logits @ tf.transpose(U)          # what each S_t gets from its output
    d_pre, carried = [None] * num_steps, tf.zeros_like(state)
    for t in reversed(range(num_steps)):                # backward: the recurrence again
        d_pre[t] = (d_from_output[:, t] + carried) * (1 - states[t] ** 2)  # tanh' = 1 - S^2
        carried = d_pre[t] @ tf.transpose(recurrent)
    d_pre = tf.stack(d_pre, axis=1)
    gradients = [
        tf.concat([tf.einsum("btc,btk->ck", inputs, d_pre),
                   tf.einsum("bth,btk->hk", S_prev, d_pre)], axis=0),   # W
        tf.reduce_sum(d_pre, axis=[0, 1]),                              # b_s
        tf.einsum("bth,btc->hc", S, d_logits),                          # U
        tf.reduce_sum(d_logits, axis=[0, 1]),                           # b_p
    ]
    return loss, state, gradients


def fastest(data, weights, sizes=Sizes()):
    """The fastest TF2 loop found: the whole epoch in one XLA-compiled tf.function, the
    data on the device before training starts, and backpropagation written by hand."""
    import keras

    variables = [tf.Variable(w) for w in weights]
    optimizer = keras.optimizers.Adagrad(sizes.learning_rate)
    optimizer.build(variables)

    @tf.function(jit_compile=True)
    def train_epoch(xs, ys):
        state = tf.zeros([sizes.batch_size, sizes.state_size])
        losses = tf.TensorArray(tf.float32, size=xs.shape[0])
        for k in tf.range(xs.shape[0]):
            loss, state, gradients = bptt_by_hand(*variables, xs[k], ys[k], state)
            optimizer.apply_gradients(zip(gradients, variables))
            losses = losses.write(k, loss)
        return losses.stack()

    on_device = [(tf.constant(xs), tf.constant(ys)) for xs, ys in data]
    return run_epochs(train_epoch, on_device)


def run_epochs(train_epoch, data):
    """Time each epoch; a step's finishing time is interpolated within its epoch, since
    the per-step losses of a whole-epoch tf.function arrive together at its end."""
    losses, times, epoch_seconds = [], [], []
    start = time.perf_counter()
    for xs, ys in data:
        epoch_start = time.perf_counter() - start
        epoch_losses = np.asarray(train_epoch(xs, ys))  # waits for the epoch to finish
        epoch_end = time.perf_counter() - start
        n = len(epoch_losses)
        losses.extend(float(v) for v in epoch_losses)
        times.extend(epoch_start + (epoch_end - epoch_start) * (np.arange(n) + 1) / n)
        epoch_seconds.append(epoch_end - epoch_start)
    return losses, [float(t) for t in times], epoch_seconds


VARIANTS = {"baseline": baseline, "taught": taught, "fastest": fastest}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", choices=sorted(VARIANTS))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    for field in dataclasses.fields(Sizes):
        parser.add_argument("--" + field.name.replace("_", "-"), type=field.type,
                            default=field.default)
    args = parser.parse_args(argv)
    sizes = Sizes(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Sizes)})
    data = epochs_of_data(args.epochs, args.seed, sizes)
    weights = initial_weights(args.seed, sizes)
    losses, times, epoch_seconds = VARIANTS[args.variant](data, weights, sizes)
    steps_per_epoch = len(data[0][0])
    # Steady state: the epochs after the first, which holds graph building and tracing.
    steady = epoch_seconds[1:] or epoch_seconds
    result = {
        "variant": args.variant,
        "losses": losses,
        "times": times,
        "steps_per_s": steps_per_epoch * len(steady) / sum(steady),
        "epoch_seconds": epoch_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
