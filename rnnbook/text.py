"""Text as integers, and the count-based baselines a character model must beat.

Written out and explained in chapter 8 (``book/ch08_shakespeare.ipynb``).
"""

from importlib import resources

import numpy as np


# @save
def load_shakespeare():
    """The tiny Shakespeare corpus shipped in rnnbook, as one string."""
    corpus = resources.files("rnnbook.corpora") / "tinyshakespeare.txt"
    return corpus.read_text(encoding="utf-8")


# @save
class Vocabulary:
    """The distinct characters of a text, sorted; the index is the id."""

    def __init__(self, text):
        self.chars = sorted(set(text))
        self.index = {char: i for i, char in enumerate(self.chars)}

    def __len__(self):
        return len(self.chars)

    def encode(self, text):
        """A string as an int32 array of ids."""
        ids = [self.index[char] for char in text]
        return np.array(ids, dtype=np.int32)

    def decode(self, ids):
        """An array (or list) of ids as a string."""
        return "".join(self.chars[i] for i in np.asarray(ids).ravel())


# @save
def train_val_split(ids, train_fraction=0.9):
    """The first train_fraction of the ids for training, the rest for
    validation (nanoGPT's split of this corpus).
    """
    n = int(train_fraction * len(ids))
    return ids[:n], ids[n:]


# @save
def temperature_draw(logits, temperature, rng):
    """One id drawn with rng from softmax(logits / temperature)."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    p = np.exp(scaled - scaled.max())  # the largest term is exp(0) = 1
    return int(rng.choice(len(p), p=p / p.sum()))


# @save
def context_keys(ids, order, vocab_size, start):
    """For every position t >= start, the `order` ids before t as one
    integer (base vocab_size): ids[t-order] ... ids[t-1].
    """
    ids = np.asarray(ids, dtype=np.int64)
    keys = np.zeros(len(ids) - start, dtype=np.int64)
    for lag in range(order, 0, -1):
        keys = keys * vocab_size + ids[start - lag : len(ids) - lag]
    return keys


# @save
def count_lookup(keys, queries):
    """How often each query occurs in keys (0 if never)."""
    values, counts = np.unique(keys, return_counts=True)
    i = np.minimum(np.searchsorted(values, queries), len(values) - 1)
    return np.where(values[i] == queries, counts[i], 0)


# @save
def witten_bell_losses(train, val, max_order, vocab_size):
    """Validation cross-entropy (nats per character) of interpolated
    Witten-Bell n-gram models, for contexts of 0 ... max_order characters.

    Order 0 is the unigram with add-one smoothing. Order k mixes the
    counts after the k-character context with the order k-1 estimate,
    weighting the latter by how many different characters followed the
    context in training. Contexts reach back into the training text.
    """
    text = np.concatenate([train, val]).astype(np.int64)
    start, targets = len(train), text[len(train) :]
    unigram = np.bincount(train, minlength=vocab_size)
    p = (unigram[targets] + 1) / (unigram.sum() + vocab_size)
    losses = [-np.mean(np.log(p))]
    for order in range(1, max_order + 1):
        seen = context_keys(train, order, vocab_size, order)
        pairs = seen * vocab_size + np.asarray(train[order:])
        followers = np.unique(pairs) // vocab_size  # one per kind
        context = context_keys(text, order, vocab_size, start)
        n_context = count_lookup(seen, context)
        n_pair = count_lookup(pairs, context * vocab_size + targets)
        n_kinds = count_lookup(followers, context)
        mixed = (n_pair + n_kinds * p) / np.maximum(n_context + n_kinds, 1)
        p = np.where(n_context > 0, mixed, p)
        losses.append(-np.mean(np.log(p)))
    return np.array(losses)
