"""A character-level language model: its layers, truncated BPTT over a text, its
validation loss and its samples.

Written out and explained in chapter 8 (``book/ch08_shakespeare.ipynb``); the
benchmark's design comparison (``bench/charmodel.py``) trains the same model.
"""

import time

import keras
import numpy as np
import tensorflow as tf

from rnnbook.data import to_batch_matrix
from rnnbook.rnn import sequence_loss, stacked_windows
from rnnbook.text import temperature_draw


# @save
class CharModel(keras.Model):
    """Embedding, num_layers LSTM (or GRU) layers and a Dense readout to
    logits over the vocabulary; Dropout(dropout) after each recurrent
    layer.

    The state goes in and comes out as a list with one entry per layer:
    [h, c] for an LSTM, [h] for a GRU.
    """

    def __init__(self, vocab_size, units, num_layers=1, cell="lstm",
                 embedding_dim=64, dropout=0.0):
        super().__init__()
        layer = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
        self.units, self.parts = units, 2 if cell == "lstm" else 1
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
        self.recurrent = [
            layer(units, return_sequences=True, return_state=True)
            for _ in range(num_layers)
        ]
        self.dropout = keras.layers.Dropout(dropout)
        self.readout = keras.layers.Dense(vocab_size)

    def zero_state(self, batch_size):
        zeros = tf.zeros([batch_size, self.units])
        return [[zeros] * self.parts for _ in self.recurrent]

    def hidden(self, x, state, training=False):
        """The top layer's h at every step [batch, steps, units], and the
        new state.
        """
        h, new_state = self.embedding(x), []
        for layer, layer_state in zip(self.recurrent, state, strict=True):
            h, *layer_state = layer(
                h, initial_state=layer_state, training=training
            )
            h = self.dropout(h, training=training)
            new_state.append(layer_state)
        return h, new_state

    def call(self, x, state, training=False):
        """x: int [batch, steps]. Returns logits [batch, steps, vocab_size]
        and the state to carry on.
        """
        h, new_state = self.hidden(x, state, training=training)
        return self.readout(h), new_state


# @save
def text_windows(ids, batch_size, num_steps):
    """Inputs and targets (the next character), both
    [num_windows, batch_size, num_steps]: batch_size consecutive pieces of
    the text, cut into windows that continue each other.
    """
    return stacked_windows(ids[:-1], ids[1:], batch_size, num_steps)


# @save
def evaluate_text(model, ids, batch_size=16, num_steps=256):
    """Mean cross-entropy (nats per character) of every next character in
    ids, the state carried through batch_size consecutive pieces.
    """

    @tf.function(reduce_retracing=True)
    def window_loss(x, y, state):
        logits, state = model(x, state)
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=y, logits=logits
        )
        return tf.reduce_sum(losses), state

    x = to_batch_matrix(ids[:-1], batch_size).astype(np.int32)
    y = to_batch_matrix(ids[1:], batch_size).astype(np.int32)
    state, total = model.zero_state(batch_size), 0.0
    for start in range(0, x.shape[1], num_steps):
        columns = slice(start, start + num_steps)
        loss, state = window_loss(x[:, columns], y[:, columns], state)
        total += float(loss)
    return total / y.size


# @save
def train_text(model, optimizer, ids, batch_size, num_steps, updates,
               val_ids=None, evaluate_every=None, on_evaluate=None):
    """Truncated BPTT over the text for `updates` updates; the state is
    carried from window to window and starts at zero on each pass.

    Returns the history: training seconds (evaluation excluded) and loss
    after each update, and, every evaluate_every updates, the validation
    loss on val_ids, after which on_evaluate(updates done), if given, may
    look at the model (its time is not counted either).
    """

    @tf.function
    def train_step(x, y, state):
        with tf.GradientTape() as tape:
            logits, state = model(x, state, training=True)
            loss = sequence_loss(y, logits)
        variables = model.trainable_variables
        gradients = tape.gradient(loss, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss, state

    xs, ys = text_windows(ids, batch_size, num_steps)
    history = {"seconds": [], "loss": [], "val_update": [], "val_loss": []}
    elapsed, done = 0.0, 0
    while done < updates:
        state = model.zero_state(batch_size)
        for x, y in zip(xs, ys, strict=True):
            start = time.perf_counter()
            loss, state = train_step(x, y, state)
            history["loss"].append(float(loss))
            elapsed += time.perf_counter() - start
            history["seconds"].append(elapsed)
            done += 1
            if evaluate_every and done % evaluate_every == 0:
                history["val_update"].append(done)
                history["val_loss"].append(evaluate_text(model, val_ids))
                if on_evaluate:
                    on_evaluate(done)
            if done == updates:
                break
    return history


# @save
def sample_text(model, vocabulary, prime, length, temperature, rng):
    """`prime` followed by `length` sampled characters. The model reads the
    prime, then runs one step per character, carrying its state: each
    character is drawn from softmax(logits / temperature) with rng and fed
    back.
    """

    @tf.function(reduce_retracing=True)
    def step(x, state):
        return model(x, state)

    prime_ids = vocabulary.encode(prime)
    logits, state = step(prime_ids[None], model.zero_state(1))
    ids = list(prime_ids)
    for _ in range(length):
        next_logits = logits[0, -1].numpy()
        ids.append(temperature_draw(next_logits, temperature, rng))
        logits, state = step(np.array([[ids[-1]]], np.int32), state)
    return vocabulary.decode(ids)
