"""Sequences in, sequences out: padded batches and masks, an encoder-decoder
with additive attention, greedy decoding and beam search.

Written out and explained in chapter 9 (``book/ch09_seq2seq.ipynb``).
"""

import datetime

import keras
import numpy as np
import tensorflow as tf

PAD, BOS, EOS = 0, 1, 2


# @save
class PaddedVocabulary:
    """Characters <-> integer ids; 0 pads, 1 starts and 2 ends a target."""

    def __init__(self, characters):
        self.characters = ["<pad>", "<bos>", "<eos>", *characters]
        self.ids = {c: i for i, c in enumerate(self.characters)}

    def __len__(self):
        return len(self.characters)

    def encode(self, texts, width, eos=False):
        """A list of strings -> int32 [len(texts), width], padded with 0
        on the right; eos=True appends the end symbol to each.
        """
        rows = [[self.ids[c] for c in t] + [EOS] * eos for t in texts]
        out = np.zeros((len(rows), width), np.int32)
        for i, row in enumerate(rows):
            out[i, : len(row)] = row
        return out

    def decode(self, ids):
        """One row of ids -> its string, up to the first end symbol."""
        out = []
        for i in ids:
            if i == EOS:
                break
            if i > EOS:
                out.append(self.characters[i])
        return "".join(out)


# @save
def teacher_forcing_inputs(targets):
    """The decoder's inputs when it is trained on the true outputs: the
    start symbol, then every target but the last, shifted right by one.
    """
    start = np.full((len(targets), 1), BOS, targets.dtype)
    inputs = np.concatenate([start, targets[:, :-1]], axis=1)
    return np.where(inputs == EOS, PAD, inputs)


# @save
def masked_mean(values, mask):
    """The mean of values over the positions where mask is true."""
    mask = tf.cast(mask, values.dtype)
    return tf.reduce_sum(values * mask) / tf.reduce_sum(mask)


# @save
def digit_strings(n, rng, min_length, max_length):
    """n strings of random digits, each of a length drawn uniformly
    from min_length to max_length.
    """
    lengths = rng.integers(min_length, max_length + 1, size=n)
    return ["".join(map(str, rng.integers(0, 10, size=k))) for k in lengths]


DATE_FORMATS = ["%d %B %Y", "%B %d, %Y", "%d.%m.%Y", "%m/%d/%y",
                "%a %d %b %Y", "%Y %b %d"]


# @save
def date_pairs(n, rng):
    """n random dates from 1950 to 2049, each written in one of
    DATE_FORMATS (source) and as YYYY-MM-DD (target).
    """
    first = datetime.date(1950, 1, 1).toordinal()
    last = datetime.date(2049, 12, 31).toordinal()
    days = rng.integers(first, last + 1, size=n)
    formats = rng.integers(0, len(DATE_FORMATS), size=n)
    dates = [datetime.date.fromordinal(int(d)) for d in days]
    sources = [d.strftime(DATE_FORMATS[f]).lower()
               for d, f in zip(dates, formats, strict=True)]
    return sources, [d.isoformat() for d in dates]


# @save
class AdditiveAttention(keras.layers.Layer):
    """Bahdanau's score e = v . tanh(q W_q + k W_k) of every query
    against every key; softmax over the unmasked keys; the context is
    the weighted sum of the values (here the keys).
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.query_layer = keras.layers.Dense(units, use_bias=False)
        self.key_layer = keras.layers.Dense(units, use_bias=False)
        self.score_layer = keras.layers.Dense(1, use_bias=False)

    def call(self, queries, keys, mask):
        """queries [B, T, d_q], keys [B, S, d_k], mask bool [B, S] ->
        context [B, T, d_k] and weights [B, T, S].
        """
        q = self.query_layer(queries)[:, :, None, :]  # [B, T, 1, a]
        k = self.key_layer(keys)[:, None, :, :]  # [B, 1, S, a]
        scores = self.score_layer(tf.tanh(q + k))[..., 0]  # [B, T, S]
        scores = tf.where(mask[:, None, :], scores, -1e9)
        weights = tf.nn.softmax(scores, axis=-1)
        return weights @ keys, weights


# @save
class EncoderDecoder(keras.Model):
    """A bidirectional GRU encoder and a GRU decoder whose first state is
    made from the encoder's two final states. With attention=True every
    decoder state attends over the encoder's outputs, and the readout
    sees the state and its context; without, the decoder knows the
    source only through its first state.
    """

    def __init__(self, source_vocab, target_vocab, units=32,
                 attention=True, embedding_dim=16):
        super().__init__()
        self.attention = AdditiveAttention(units) if attention else None
        self.source_embedding = keras.layers.Embedding(
            source_vocab, embedding_dim, mask_zero=True)
        self.target_embedding = keras.layers.Embedding(
            target_vocab, embedding_dim)
        self.encoder = keras.layers.Bidirectional(
            keras.layers.GRU(units, return_sequences=True,
                             return_state=True))
        self.bridge = keras.layers.Dense(2 * units, activation="tanh")
        self.decoder = keras.layers.GRU(2 * units, return_sequences=True)
        self.combine = keras.layers.Dense(2 * units, activation="tanh")
        self.readout = keras.layers.Dense(target_vocab)

    def encode(self, source):
        """source int [B, S] -> the encoder's outputs [B, S, 2 units],
        the mask [B, S] and the decoder's first state [B, 2 units].
        """
        mask = source != PAD
        outputs, forward, backward = self.encoder(
            self.source_embedding(source), mask=mask)
        state = self.bridge(tf.concat([forward, backward], axis=-1))
        return outputs, mask, state

    def read_out(self, states, memory, mask):
        """Decoder states [B, T, 2 units] -> logits, attention weights."""
        if self.attention is None:
            return self.readout(self.combine(states)), None
        context, weights = self.attention(states, memory, mask)
        both = tf.concat([states, context], axis=-1)
        return self.readout(self.combine(both)), weights

    def call(self, source, decoder_inputs):
        """Teacher forcing: logits [B, T, target_vocab] for every step,
        the decoder fed the true previous outputs.
        """
        memory, mask, state = self.encode(source)
        states = self.decoder(
            self.target_embedding(decoder_inputs), initial_state=state)
        return self.read_out(states, memory, mask)[0]

    def step(self, tokens, state, memory, mask):
        """One decoding step: tokens int [B] -> logits [B, target_vocab],
        the new state and the attention weights [B, S] (or None).
        """
        x = self.target_embedding(tokens)
        h, _ = self.decoder.cell(x, [state])
        logits, weights = self.read_out(h[:, None], memory, mask)
        return logits[:, 0], h, None if weights is None else weights[:, 0]


# @save
def sequence_cross_entropy(targets, logits):
    """Mean cross-entropy per target symbol, padding left out."""
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(
        targets, logits)
    return masked_mean(losses, targets != PAD)


# @save
def train_seq2seq(model, batches, learning_rate=3e-3):
    """Adam with clipped gradients on teacher-forced batches
    (source, targets); the loss of every batch.
    """
    optimizer = keras.optimizers.Adam(learning_rate, clipnorm=1.0)

    @tf.function(jit_compile=True)
    def train_step(source, decoder_inputs, targets):
        with tf.GradientTape() as tape:
            logits = model(source, decoder_inputs)
            loss = sequence_cross_entropy(targets, logits)
        variables = model.trainable_variables
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss

    return np.array([
        float(train_step(s, teacher_forcing_inputs(t), t))
        for s, t in batches
    ])


# @save
def greedy_decode(model, source, max_length):
    """The most probable next symbol at every step, fed back in:
    int [B, max_length] (EOS, then padding, after the end) and the
    attention weights [B, max_length, S] (zeros without attention).
    """

    @tf.function
    def run(source):
        memory, mask, state = model.encode(source)
        batch = tf.shape(source)[0]
        tokens = tf.fill([batch], BOS)
        done = tf.zeros([batch], tf.bool)
        outputs = tf.TensorArray(tf.int32, size=max_length)
        alignments = tf.TensorArray(tf.float32, size=max_length)
        for t in tf.range(max_length):
            logits, state, weights = model.step(tokens, state, memory, mask)
            tokens = tf.argmax(logits, -1, output_type=tf.int32)
            tokens = tf.where(done, PAD, tokens)
            done = done | (tokens == EOS)
            outputs = outputs.write(t, tokens)
            if weights is None:
                weights = tf.zeros(tf.shape(source), tf.float32)
            alignments = alignments.write(t, weights)
        return (tf.transpose(outputs.stack()),
                tf.transpose(alignments.stack(), [1, 0, 2]))

    outputs, alignments = run(tf.constant(source))
    return outputs.numpy(), alignments.numpy()


# @save
def beam_search(step, state, batch_size, beam_width, max_length, alpha):
    """Beam search for batch_size independent problems at once.

    step(tokens, state) -> (log-probabilities [N, V], state), with N =
    batch_size * beam_width rows, row i * beam_width + j for beam j of
    problem i; state is a list of arrays whose first axis is N.

    Each step keeps the beam_width best continuations that do not end;
    one that ends (emits EOS) among the beam_width best of all is set
    aside, scored by its log-probability / length ** alpha (length with
    the EOS). A problem stops when no live hypothesis can beat its best
    ended one (log-probabilities only fall, so a live one ends at best
    at its score / max_length ** alpha), or after max_length symbols,
    when unended hypotheses compete as they are. Returns each problem's
    best (ids, score), its EOS included if it ended.
    """
    k = beam_width
    tokens = np.full(batch_size * k, BOS)
    scores = np.tile([0.0] + [-np.inf] * (k - 1), (batch_size, 1))
    prefixes = [[[] for _ in range(k)] for _ in range(batch_size)]
    ended = [[] for _ in range(batch_size)]
    for _ in range(max_length):
        log_probs, state = step(tokens, state)
        total = scores[:, :, None] + np.reshape(log_probs, (batch_size, k, -1))
        vocab = total.shape[-1]
        rows = np.repeat(np.arange(batch_size) * k, k).reshape(batch_size, k)
        new_prefixes = [[[] for _ in range(k)] for _ in range(batch_size)]
        new_scores = np.full((batch_size, k), -np.inf)
        for i in range(batch_size):
            live = scores[i][np.isfinite(scores[i])]
            if ended[i] and (not live.size or max(ended[i])[0]
                             >= live.max() / max_length ** alpha):
                continue  # nothing live can win: this problem is done
            kept, flat_total = 0, total[i].ravel()
            order = np.argsort(-flat_total, kind="stable")
            for rank, flat in enumerate(order):
                if kept == k or not np.isfinite(flat_total[flat]):
                    break
                beam, token = divmod(int(flat), vocab)
                sequence = [*prefixes[i][beam], token]
                if token == EOS:
                    if rank < k:
                        normed = flat_total[flat] / len(sequence) ** alpha
                        ended[i].append((normed, sequence))
                    continue
                rows[i, kept] = i * k + beam
                new_scores[i, kept] = flat_total[flat]
                new_prefixes[i][kept] = sequence
                kept += 1
        prefixes, scores = new_prefixes, new_scores
        state = [np.asarray(s)[rows.ravel()] for s in state]
        tokens = np.array([p[-1] if p else EOS
                           for problem in prefixes for p in problem])
        if not np.isfinite(scores).any():
            break  # every problem is done
    best = []
    for i in range(batch_size):
        unended = [(scores[i, j] / len(prefixes[i][j]) ** alpha,
                    prefixes[i][j])
                   for j in range(k) if np.isfinite(scores[i, j])]
        score, ids = max(ended[i] + unended, key=lambda c: c[0])
        best.append((ids, score))
    return best
