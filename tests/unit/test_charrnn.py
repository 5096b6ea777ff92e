"""rnnbook.charrnn: the character model, its windows, evaluation, training and sampling."""

import keras
import numpy as np
import tensorflow as tf

from rnnbook.charrnn import CharModel, evaluate_text, sample_text, text_windows, train_text
from rnnbook.text import Vocabulary

tf.config.experimental.enable_tensor_float_32_execution(False)


def test_text_windows_continue_each_other():
    ids = np.arange(1000) % 50
    xs, ys = text_windows(ids, 4, 10)
    assert xs.shape == ys.shape == (24, 4, 10)  # 999 // 4 = 249 columns: 24 windows
    assert np.array_equal(xs[:, :, 1:], ys[:, :, :-1])
    assert np.array_equal(xs[1:, :, 0], ys[:-1, :, -1])
    assert xs[0, 1, 0] == ids[249]


def test_model_state_carries_exactly_across_calls():
    keras.utils.set_random_seed(0)
    for cell, parts in (("lstm", 2), ("gru", 1)):
        model = CharModel(7, 5, num_layers=2, cell=cell, embedding_dim=3)
        x = np.random.default_rng(0).integers(0, 7, (2, 12)).astype(np.int32)
        whole, state = model(x, model.zero_state(2))
        first, middle = model(x[:, :5], model.zero_state(2))
        second, end = model(x[:, 5:], middle)
        np.testing.assert_allclose(np.concatenate([first, second], 1), whole, atol=1e-5)
        assert len(state) == 2 and all(len(s) == parts for s in state)
        np.testing.assert_allclose(end[1][0], state[1][0], atol=1e-5)


def test_evaluate_text_is_the_mean_loss_of_every_next_character():
    keras.utils.set_random_seed(1)
    model = CharModel(6, 4, embedding_dim=2)
    ids = np.random.default_rng(1).integers(0, 6, 97).astype(np.int32)
    logits, _ = model(ids[None, :-1], model.zero_state(1))
    want = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(ids[1:], logits[0]))
    # One piece, windows of 10 (the last one shorter): the state carried through.
    assert np.isclose(evaluate_text(model, ids, batch_size=1, num_steps=10), float(want),
                      atol=1e-5)


def test_train_text_learns_a_repeating_text():
    keras.utils.set_random_seed(2)
    ids = np.tile(np.arange(5), 400).astype(np.int32)  # 0 1 2 3 4 0 1 ...
    model = CharModel(5, 16, embedding_dim=4)
    seen = []  # on_evaluate sees the model after each evaluation, in order
    history = train_text(model, keras.optimizers.Adam(0.02), ids, 8, 10, 60,
                         val_ids=ids[:200], evaluate_every=30,
                         on_evaluate=lambda done: seen.append((done, model.get_weights())))
    assert len(history["loss"]) == len(history["seconds"]) == 60
    assert history["val_update"] == [30, 60] == [done for done, _ in seen]
    assert not np.allclose(seen[0][1][0], seen[1][1][0])  # weights of that moment
    assert history["loss"][0] > 1.4 and history["val_loss"][-1] < 0.1


def test_sample_text_carries_the_state():
    keras.utils.set_random_seed(3)
    vocabulary = Vocabulary("abcde")
    model = CharModel(5, 8, embedding_dim=3)
    text = sample_text(model, vocabulary, "abc", 20, 1.0, np.random.default_rng(0))
    assert text.startswith("abc") and len(text) == 23
    # The same draws, made by running the whole text through the model at once: every
    # character was drawn from the model's prediction given all the text before it.
    ids = vocabulary.encode(text)
    logits, _ = model(ids[None, :-1], model.zero_state(1))
    p = tf.nn.softmax(tf.cast(logits[0], tf.float64)).numpy()
    rng = np.random.default_rng(0)
    for t in range(2, 22):
        assert rng.choice(5, p=p[t] / p[t].sum()) == ids[t + 1]


def test_low_temperature_takes_the_likeliest_character():
    keras.utils.set_random_seed(4)
    vocabulary = Vocabulary("abcde")
    model = CharModel(5, 8, embedding_dim=3)
    model(np.zeros([1, 1], np.int32), model.zero_state(1))
    # Logits far apart, so that the likeliest character is clear.
    model.readout.kernel.assign(100 * model.readout.kernel)
    text = sample_text(model, vocabulary, "a", 10, 1e-3, np.random.default_rng(0))
    ids = vocabulary.encode(text)
    logits, _ = model(ids[None, :-1], model.zero_state(1))
    assert list(np.argmax(logits[0], axis=-1)) == list(ids[1:])
