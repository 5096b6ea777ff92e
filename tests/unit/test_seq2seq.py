"""rnnbook.seq2seq: padding and masks, attention, the encoder-decoder, greedy and beam
decoding (beam search against trying every sequence)."""

import itertools

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnnbook.seq2seq import (
    BOS,
    EOS,
    PAD,
    AdditiveAttention,
    EncoderDecoder,
    PaddedVocabulary,
    beam_search,
    date_pairs,
    digit_strings,
    greedy_decode,
    masked_mean,
    sequence_cross_entropy,
    teacher_forcing_inputs,
    train_seq2seq,
)

tf.config.experimental.enable_tensor_float_32_execution(False)
DIGITS = PaddedVocabulary("0123456789")


def test_vocabulary_pads_ends_and_decodes_back():
    batch = DIGITS.encode(["12", "3"], width=4, eos=True)
    assert batch.dtype == np.int32 and batch.shape == (2, 4)
    assert batch.tolist() == [[4, 5, EOS, PAD], [6, EOS, PAD, PAD]]
    assert [DIGITS.decode(row) for row in batch] == ["12", "3"]
    assert DIGITS.decode([4, PAD, 5, EOS, 6]) == "12"  # stops at the end, skips padding


def test_teacher_forcing_inputs_shift_right_behind_the_start():
    targets = DIGITS.encode(["321", "9"], width=5, eos=True)
    inputs = teacher_forcing_inputs(targets)
    assert inputs[:, 0].tolist() == [BOS, BOS]
    assert inputs[0, 1:4].tolist() == targets[0, :3].tolist()
    assert EOS not in inputs  # the end is never an input


def test_masked_mean_ignores_masked_positions():
    values = tf.constant([[1.0, 2.0, 100.0], [3.0, 100.0, 100.0]])
    mask = tf.constant([[True, True, False], [True, False, False]])
    assert float(masked_mean(values, mask)) == pytest.approx(2.0)
    logits = tf.zeros([1, 3, 5])
    targets = np.array([[3, EOS, PAD]])
    assert float(sequence_cross_entropy(targets, logits)) == pytest.approx(np.log(5), rel=1e-6)


def test_data_are_seeded_and_in_range():
    strings = digit_strings(200, np.random.default_rng(0), 5, 9)
    assert strings == digit_strings(200, np.random.default_rng(0), 5, 9)
    assert {len(s) for s in strings} == set(range(5, 10)) and all(s.isdigit() for s in strings)
    sources, targets = date_pairs(300, np.random.default_rng(0))
    assert all(1950 <= int(t[:4]) <= 2049 and len(t) == 10 for t in targets)
    assert max(map(len, sources)) <= 20


def test_attention_weights_sum_to_one_over_unmasked_keys():
    rng = np.random.default_rng(0)
    layer = AdditiveAttention(6)
    queries = tf.constant(rng.normal(size=(3, 4, 5)), tf.float32)
    keys = tf.constant(rng.normal(size=(3, 7, 8)), tf.float32)
    lengths = np.array([7, 3, 1])
    mask = tf.constant(np.arange(7)[None] < lengths[:, None])
    context, weights = layer(queries, keys, mask)
    assert context.shape == (3, 4, 8) and weights.shape == (3, 4, 7)
    np.testing.assert_allclose(tf.reduce_sum(weights, -1), 1.0, rtol=1e-6)
    assert np.all(weights.numpy()[~np.broadcast_to(mask.numpy()[:, None], weights.shape)] == 0)
    np.testing.assert_allclose(context[2], np.repeat(keys[2, :1], 4, 0), rtol=1e-6)
    # Padding changes nothing: the same keys without their padded positions.
    short, _ = layer(queries[1:2], keys[1:2, :3], mask[1:2, :3])
    np.testing.assert_allclose(short, context[1:2], rtol=1e-5, atol=1e-6)


def tiny_model(attention, seed=0):
    keras.utils.set_random_seed(seed)
    return EncoderDecoder(len(DIGITS), len(DIGITS), units=4, attention=attention,
                          embedding_dim=3)


@pytest.mark.parametrize("attention", [False, True])
def test_masked_encoder_gives_the_unpadded_result(attention):
    model = tiny_model(attention)
    narrow = DIGITS.encode(["314"], width=3)
    wide = DIGITS.encode(["314"], width=9)
    for a, b in zip(model.encode(narrow), model.encode(wide), strict=True):
        if a.dtype == tf.bool:
            continue
        if len(a.shape) == 3:  # the outputs: padded positions come on top
            b = b[:, :3]
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("attention", [False, True])
def test_teacher_forcing_equals_single_steps(attention):
    model = tiny_model(attention)
    source = DIGITS.encode(["12", "34567"], width=6)
    targets = DIGITS.encode(["21", "76543"], width=6, eos=True)
    inputs = teacher_forcing_inputs(targets)
    forced = model(source, inputs)
    memory, mask, state = model.encode(source)
    for t in range(inputs.shape[1]):
        logits, state, weights = model.step(inputs[:, t], state, memory, mask)
        np.testing.assert_allclose(logits, forced[:, t], rtol=1e-4, atol=1e-5)
        assert (weights is None) == (not attention)


def beam_step_for(model, source, beam_width):
    memory, mask, state = model.encode(source)

    def step(tokens, carried):
        state, memory, mask = carried
        logits, state, _ = model.step(tf.constant(tokens, tf.int32), state, memory, mask)
        return tf.nn.log_softmax(logits).numpy(), [state.numpy(), memory, mask]

    return step, [np.repeat(np.asarray(x), beam_width, axis=0) for x in (state, memory, mask)]


def test_beam_of_width_one_is_greedy_decoding():
    model = tiny_model(True, seed=3)
    source = DIGITS.encode(digit_strings(6, np.random.default_rng(0), 2, 6), width=6)
    greedy, alignments = greedy_decode(model, source, 7)
    assert alignments.shape == (6, 7, 6)
    step, state = beam_step_for(model, source, 1)
    for (ids, _), row in zip(beam_search(step, state, 6, 1, 7, alpha=0.0), greedy,
                             strict=True):
        assert DIGITS.decode(ids) == DIGITS.decode(row)


def test_training_lowers_the_loss():
    model = tiny_model(True)
    rng = np.random.default_rng(0)
    strings = digit_strings(32, rng, 2, 4)
    batch = (DIGITS.encode(strings, 4), DIGITS.encode([s[::-1] for s in strings], 5, eos=True))
    losses = train_seq2seq(model, [batch] * 60, learning_rate=0.02)
    assert losses[-1] < losses[0] - 0.5, losses[[0, -1]]


def table_step(tables):
    """A toy step: log-probabilities from a table per problem, indexed by the last
    token, shifted by how many steps were taken; padding and start never drawn."""

    def step(tokens, state):
        steps, problem = state
        logits = np.stack([tables[int(p)][int(t)] + 0.4 * s
                           for t, p, s in zip(tokens, problem, steps, strict=True)])
        logits[:, [PAD, BOS]] = -np.inf
        log_probs = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        return log_probs, [steps + 1, problem]

    return step


def brute_force(step, problem, max_length, alpha, vocab):
    """Every sequence that ends within max_length symbols, and every unended one of
    max_length, scored as beam_search scores them."""
    best = None
    symbols = range(EOS + 1, vocab)
    for length in range(1, max_length + 1):
        for body in itertools.product(symbols, repeat=length - 1):
            endings = [EOS] + (list(symbols) if length == max_length else [])
            for last in endings:
                sequence, token, state, total = [*body, last], BOS, [np.zeros(1), [problem]], 0.0
                for symbol in sequence:
                    log_probs, state = step(np.array([token]), state)
                    total, token = total + log_probs[0, symbol], symbol
                score = total / len(sequence) ** alpha
                if best is None or score > best[1]:
                    best = (sequence, score)
    return best


@pytest.mark.parametrize("alpha", [0.0, 0.75, 1.0])
def test_wide_beam_search_finds_the_best_sequence(alpha):
    rng = np.random.default_rng(1)
    vocab, problems, width = 6, 4, 200  # 3 symbols and the end: 120 sequences of <= 4
    tables = [rng.normal(size=(vocab, vocab)) * 2 for _ in range(problems)]
    for table in tables:
        table[:, EOS] -= 1.5  # long outputs have a chance
    step = table_step(tables)
    state = [np.zeros(problems * width), np.repeat(np.arange(problems), width)]
    found = beam_search(step, state, problems, width, 4, alpha)
    for problem, (ids, score) in enumerate(found):
        want_ids, want_score = brute_force(step, problem, 4, alpha, vocab)
        assert ids == want_ids and score == pytest.approx(want_score), (problem, alpha)


def test_narrow_beam_is_never_better_than_the_best():
    rng = np.random.default_rng(2)
    vocab, problems = 6, 5
    tables = [rng.normal(size=(vocab, vocab)) * 2 for _ in range(problems)]
    step = table_step(tables)
    for width in (1, 2):
        state = [np.zeros(problems * width), np.repeat(np.arange(problems), width)]
        for problem, (_, score) in enumerate(beam_search(step, state, problems, width, 4, 1.0)):
            assert score <= brute_force(step, problem, 4, 1.0, vocab)[1] + 1e-9


def test_assignment9_holds_the_layers_weights():
    """Assignment 9's hidden test compares a student's NumPy attention with numbers that
    the chapter's layer computed (so grading imports no TensorFlow): they must still be
    what the layer computes."""
    import nbformat

    from tests.conftest import ROOT

    path = ROOT / "solutions" / "assignment9_seq2seq" / "assignment9_seq2seq.ipynb"
    source = next(c.source for c in nbformat.read(path, as_version=4).cells
                  if "LAYER_WEIGHTS = " in c.source)
    hidden = source[source.index("hidden_rng = "):source.index("_, hidden_weights")]
    names = {"np": np}
    exec(hidden, names)  # the test's own inputs and its stored weights
    layer = AdditiveAttention(7)
    q, k = names["hidden_q"].astype(np.float32), names["hidden_k"].astype(np.float32)
    layer(q, k, names["hidden_mask"])
    layer.query_layer.kernel.assign(names["hidden_Wq"].astype(np.float32))
    layer.key_layer.kernel.assign(names["hidden_Wk"].astype(np.float32))
    layer.score_layer.kernel.assign(names["hidden_v"][:, None].astype(np.float32))
    _, weights = layer(q, k, names["hidden_mask"])
    np.testing.assert_allclose(names["LAYER_WEIGHTS"], weights, atol=2e-7)
