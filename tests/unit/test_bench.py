"""The benchmark's hand-written backpropagation computes what GradientTape computes."""

import numpy as np
import tensorflow as tf

from bench.variants import bptt_by_hand
from rnnbook.rnn import VanillaRNN, sequence_loss


def test_bptt_by_hand_matches_gradient_tape():
    tf.config.experimental.enable_tensor_float_32_execution(False)  # float32 on GPUs too
    model = VanillaRNN(state_size=5, seed=4)
    rng = np.random.default_rng(4)
    x = rng.integers(0, 2, size=(7, 6)).astype(np.int32)
    y = rng.integers(0, 2, size=(7, 6)).astype(np.int32)
    state = tf.constant(rng.uniform(-0.5, 0.5, size=(7, 5)), tf.float32)
    variables = [model.W, model.b_s, model.U, model.b_p]
    with tf.GradientTape() as tape:
        logits, states = model(x, state)
        loss = sequence_loss(y, logits)
    expected = tape.gradient(loss, variables)
    got_loss, got_state, got = bptt_by_hand(*variables, x, y, state)
    np.testing.assert_allclose(got_loss, loss, rtol=1e-6)
    np.testing.assert_allclose(got_state, states[:, -1], atol=1e-6)
    for g, e, v in zip(got, expected, variables, strict=True):
        np.testing.assert_allclose(g, e, atol=1e-6, err_msg=v.name)
