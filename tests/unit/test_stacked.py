"""rnnbook.stacked: packing the state of a stack, StackedLSTM and its training loop."""

import keras
import numpy as np
import tensorflow as tf

from rnnbook.baselines import DEPENDENCY_BASELINES
from rnnbook.data import dependency_series
from rnnbook.stacked import StackedLSTM, pack_state, train_stacked, unpack_state

tf.config.experimental.enable_tensor_float_32_execution(False)


def random_tokens(batch=3, steps=9, seed=0):
    return tf.constant(np.random.default_rng(seed).integers(0, 2, size=(batch, steps)), tf.int32)


def test_pack_state_puts_layers_first_then_h_before_c():
    layers = [[tf.fill([2, 3], 10.0 * k + 1), tf.fill([2, 3], 10.0 * k + 2)] for k in range(4)]
    packed = pack_state(layers)
    assert packed.shape == (4, 2, 2, 3)
    np.testing.assert_array_equal(packed[:, 0, 0, 0], [1, 11, 21, 31])  # every h
    np.testing.assert_array_equal(packed[:, 1, 0, 0], [2, 12, 22, 32])  # every c
    for (h, c), (h_back, c_back) in zip(layers, unpack_state(packed), strict=True):
        np.testing.assert_array_equal(h, h_back)
        np.testing.assert_array_equal(c, c_back)


def test_stacked_lstm_has_a_cell_per_layer_with_its_own_weights():
    model = StackedLSTM(8, 3, seed=0)
    model(random_tokens(), model.zero_state(3))
    cells = model.rnn.cell.cells
    assert len({id(cell) for cell in cells}) == 3
    lstm_weights = 4 * 8 * (2 + 8 + 1) + 2 * 4 * 8 * (8 + 8 + 1)
    assert model.count_params() == lstm_weights + 8 * 2 + 2
    kernels = [cell.recurrent_kernel.numpy() for cell in cells]
    assert not np.allclose(kernels[1], kernels[2])


def test_stacked_lstm_seed_fixes_the_weights():
    def weights(seed):
        model = StackedLSTM(4, 2, seed=seed)
        model(random_tokens(), model.zero_state(3))
        return model.get_weights()

    for a, b in zip(weights(5), weights(5), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(weights(5)[0], weights(6)[0])


def test_stacked_lstm_equals_keras_lstm_layers_and_carries_state():
    model = StackedLSTM(6, 2, seed=1)
    tokens = random_tokens(steps=12, seed=2)
    logits, state = model(tokens, model.zero_state(3))
    layers = keras.Sequential([keras.Input((None, 2)),
                               keras.layers.LSTM(6, return_sequences=True),
                               keras.layers.LSTM(6, return_sequences=True),
                               keras.layers.Dense(2)])
    layers.set_weights(model.get_weights())
    np.testing.assert_allclose(layers(tf.one_hot(tokens, 2)), logits, rtol=1e-5, atol=1e-6)

    first, middle = model(tokens[:, :5], model.zero_state(3))
    second, end = model(tokens[:, 5:], middle)
    np.testing.assert_allclose(tf.concat([first, second], axis=1), logits, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(end, state, rtol=1e-5, atol=1e-6)
    # The top layer's h after the last step is what the readout saw there.
    np.testing.assert_allclose(layers.layers[1](layers.layers[0](tf.one_hot(tokens, 2)))[:, -1],
                               state[-1, 0], rtol=1e-5, atol=1e-6)


def test_train_stacked_learns_beyond_the_first_dependency():
    # Three seeds on CPU ended at 0.478-0.482 over the last 50 windows.
    rng = np.random.default_rng(0)
    data = [dependency_series(500_000, rng)]
    losses = train_stacked(StackedLSTM(8, 2, seed=0), data, batch_size=100, num_steps=10,
                           optimizer=keras.optimizers.Adam(0.01))
    assert losses.shape == (500,)
    assert losses[:10].mean() > DEPENDENCY_BASELINES["no dependency"] - 0.02
    assert losses[-50:].mean() < DEPENDENCY_BASELINES["X[t-3] only"] - 0.02, losses[-50:].mean()
