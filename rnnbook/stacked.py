"""Stacked (multi-layer) LSTMs built from Keras cells, and their whole state as one tensor.

Written out and explained in chapter 6 (``book/ch06_multilayer.ipynb``); chapter 7
adds dropout to the same model.
"""

import keras
import numpy as np
import tensorflow as tf

from rnnbook.rnn import sequence_loss, stacked_windows


# @save
def pack_state(layer_states):
    """[[h, c] for each layer] -> one tensor [num_layers, 2, batch, units].

    Index 0 of the second axis is h and index 1 is c, Keras' order
    (TensorFlow 1's LSTMStateTuple put c first).
    """
    return tf.stack([tf.stack(h_and_c) for h_and_c in layer_states])


# @save
def unpack_state(state):
    """The inverse of pack_state: [num_layers, 2, batch, units] -> [[h, c] per layer]."""
    return [list(tf.unstack(h_and_c)) for h_and_c in tf.unstack(state)]


# @save
class StackedLSTM(keras.Model):
    """num_layers LSTM cells of `units` each, one keras.layers.RNN over all
    of them, and a Dense readout of the top layer's h at every step; inputs
    are 0/1 integers.

    Every cell is a new LSTMCell object with its own weights, seeded so
    that a seed gives the same model on any machine. The state goes in and
    comes out as one tensor [num_layers, 2, batch, units] (pack_state).
    """

    def __init__(self, units, num_layers, num_classes=2, seed=0):
        super().__init__()
        self.units, self.num_layers, self.num_classes = units, num_layers, num_classes
        cells = [
            keras.layers.LSTMCell(
                units,
                kernel_initializer=keras.initializers.GlorotUniform(seed=1000 * seed + 2 * k),
                recurrent_initializer=keras.initializers.Orthogonal(seed=1000 * seed + 2 * k + 1),
            )
            for k in range(num_layers)
        ]
        self.rnn = keras.layers.RNN(cells, return_sequences=True, return_state=True)
        readout_init = keras.initializers.GlorotUniform(seed=1000 * seed + 999)
        self.readout = keras.layers.Dense(num_classes, kernel_initializer=readout_init)

    def zero_state(self, batch_size):
        return tf.zeros([self.num_layers, 2, batch_size, self.units])

    def call(self, x, state, training=False):
        """x: int [batch, num_steps]; state: [num_layers, 2, batch, units].

        Returns the logits [batch, num_steps, num_classes] and the final state, packed.
        """
        inputs = tf.one_hot(x, self.num_classes)
        outputs, *layer_states = self.rnn(inputs, initial_state=unpack_state(state),
                                          training=training)
        return self.readout(outputs), pack_state(layer_states)


# @save
def train_stacked(model, epochs, batch_size, num_steps, optimizer):
    """Truncated BPTT for a model whose state is one packed tensor; every
    window's loss.

    Chapter 3's loop again, with the packed state [num_layers, 2, batch,
    units] as the loop variable: zero at the start of each epoch, carried
    from window to window.
    """

    @tf.function
    def train_epoch(xs, ys):
        state = model.zero_state(tf.shape(xs)[1])
        losses = tf.TensorArray(tf.float32, size=tf.shape(xs)[0])
        for k in tf.range(tf.shape(xs)[0]):
            with tf.GradientTape() as tape:
                logits, state = model(xs[k], state, training=True)
                loss = sequence_loss(ys[k], logits)
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
            losses = losses.write(k, loss)
        return losses.stack()

    losses = []
    for x, y in epochs:
        xs, ys = stacked_windows(x, y, batch_size, num_steps)
        losses.append(train_epoch(tf.constant(xs), tf.constant(ys)).numpy())
    return np.concatenate(losses)
