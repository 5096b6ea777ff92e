"""rnnbook.text: the vocabulary, the split and the count-based baselines."""

import math
from collections import Counter

import numpy as np

from rnnbook.text import (
    Vocabulary,
    context_keys,
    count_lookup,
    load_shakespeare,
    train_val_split,
    witten_bell_losses,
)


def test_vocabulary_round_trip_and_sorted_ids():
    vocabulary = Vocabulary("hello world")
    assert vocabulary.chars == [" ", "d", "e", "h", "l", "o", "r", "w"]
    ids = vocabulary.encode("hello")
    assert ids.dtype == np.int32 and list(ids) == [3, 2, 4, 4, 5]
    assert vocabulary.decode(ids) == "hello" and len(vocabulary) == 8


def test_split_is_nanogpts():
    ids = Vocabulary(load_shakespeare()).encode(load_shakespeare())
    train, val = train_val_split(ids)
    assert (len(train), len(val)) == (1_003_854, 111_540)
    assert np.array_equal(np.concatenate([train, val]), ids)


def test_context_keys_are_the_previous_ids_in_base_vocab_size():
    ids = np.array([1, 2, 0, 2, 1])
    # Contexts of 2 before positions 2, 3, 4: (1, 2), (2, 0), (0, 2).
    assert list(context_keys(ids, 2, 3, 2)) == [1 * 3 + 2, 2 * 3 + 0, 0 * 3 + 2]
    assert list(context_keys(ids, 0, 3, 1)) == [0, 0, 0, 0]


def test_count_lookup_counts_and_gives_zero_for_unseen():
    keys = np.array([5, 3, 5, 9, 5])
    assert list(count_lookup(keys, np.array([5, 9, 4, 100, 0]))) == [3, 1, 0, 0, 0]


def witten_bell_by_hand(train, val, max_order, vocab_size):
    """The same model written with dictionaries, one character at a time."""
    text = list(train) + list(val)
    unigram = Counter(train)
    losses = []
    for order in range(max_order + 1):
        total = 0.0
        for t in range(len(train), len(text)):
            c = text[t]
            p = (unigram[c] + 1) / (len(train) + vocab_size)
            for k in range(1, order + 1):
                h = tuple(text[t - k : t])
                followers = Counter(
                    train[i] for i in range(k, len(train)) if tuple(train[i - k : i]) == h)
                n_h = sum(followers.values())
                if n_h:
                    p = (followers[c] + len(followers) * p) / (n_h + len(followers))
            total -= math.log(p)
        losses.append(total / len(val))
    return losses


def test_witten_bell_matches_a_slow_reference():
    rng = np.random.default_rng(0)
    train = list(rng.integers(0, 4, 300) % 3)  # some contexts unseen in val
    val = list(rng.integers(0, 4, 60))
    fast = witten_bell_losses(np.array(train), np.array(val), 3, 4)
    np.testing.assert_allclose(fast, witten_bell_by_hand(train, val, 3, 4), rtol=1e-12)


def test_temperature_draw_is_one_choice_from_the_tempered_softmax():
    from rnnbook.text import temperature_draw

    logits = np.array([1000.0, 999.0, 990.0])  # large: must not overflow
    p = np.exp((logits - 1000) / 0.5)
    p /= p.sum()
    for seed in range(10):
        want = np.random.default_rng(seed).choice(3, p=p)
        assert temperature_draw(logits, 0.5, np.random.default_rng(seed)) == want
    assert temperature_draw(np.array([0.0, 5.0, 1.0]), 1e-4, np.random.default_rng(0)) == 1
