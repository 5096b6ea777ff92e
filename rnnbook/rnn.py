"""A vanilla RNN written from tf.Variable up, and its truncated-BPTT training loop.

Written out and explained in chapter 3 (``book/ch03_vanilla_rnn.ipynb``); later
chapters compare Keras layers and the LSTM against it.
"""

import keras
import numpy as np
import tensorflow as tf

from rnnbook.data import to_batch_matrix


# @save
def glorot_uniform(rng, fan_in, fan_out):
    """A [fan_in, fan_out] float32 matrix drawn from Glorot's uniform distribution."""
    limit = np.sqrt(6 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(np.float32)


# @save
class VanillaRNN(tf.Module):
    """S_t = tanh(W [x_t ; S_{t-1}] + b_s) and logits_t = U S_t + b_p, for
    0/1 inputs.

    x_t enters as a one-hot vector of length num_classes. Weights start
    from a seeded NumPy generator (Glorot uniform, biases zero), so a seed
    gives the same model on any machine.
    """

    def __init__(self, state_size, num_classes=2, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.state_size, self.num_classes = state_size, num_classes
        self.W = tf.Variable(glorot_uniform(rng, num_classes + state_size, state_size), name="W")
        self.b_s = tf.Variable(tf.zeros([state_size]), name="b_s")
        self.U = tf.Variable(glorot_uniform(rng, state_size, num_classes), name="U")
        self.b_p = tf.Variable(tf.zeros([num_classes]), name="b_p")

    def cell(self, input_t, state):
        """One step: the one-hot input [batch, num_classes] and the previous state."""
        return tf.tanh(tf.concat([input_t, state], axis=1) @ self.W + self.b_s)

    def __call__(self, x, state):
        """x: int [batch, num_steps]; state: [batch, state_size].

        Returns the logits [batch, num_steps, num_classes] and every state
        [batch, num_steps, state_size]; the last one is the state to carry
        on.
        """
        inputs = tf.one_hot(x, self.num_classes)
        states = []
        for t in range(x.shape[1]):  # a Python loop: num_steps copies of the cell
            state = self.cell(inputs[:, t], state)
            states.append(state)
        states = tf.stack(states, axis=1)
        return states @ self.U + self.b_p, states


# @save
def sequence_loss(y, logits):
    """Mean cross-entropy (nats) of logits [..., num_classes] against integer targets y."""
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))


# @save
def stacked_windows(x, y, batch_size, num_steps, stride=None):
    """All training windows at once: (xs, ys), each [num_windows, batch_size, num_steps].

    Window k covers columns k*stride ... k*stride + num_steps - 1 of the batch matrix.
    stride = num_steps (the default) gives the non-overlapping windows of
    batch_windows; a smaller stride gives overlapping ones.
    """
    stride = stride or num_steps
    data_x, data_y = to_batch_matrix(x, batch_size), to_batch_matrix(y, batch_size)
    starts = range(0, data_x.shape[1] - num_steps + 1, stride)
    xs = np.stack([data_x[:, s : s + num_steps] for s in starts])
    ys = np.stack([data_y[:, s : s + num_steps] for s in starts])
    return xs.astype(np.int32), ys.astype(np.int32)


# @save
def make_train_step(model, optimizer, stride=None):
    """One truncated-BPTT update on one window; returns (loss, state to
    carry on).

    With stride < num_steps (overlapping windows), only the last `stride`
    targets count, so every error is backpropagated at least num_steps -
    stride + 1 steps, and the state carried on is the one after `stride`
    steps, where the next window starts.
    """

    @tf.function
    def train_step(x, y, state):
        keep = stride or x.shape[1]
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = sequence_loss(y[:, -keep:], logits[:, -keep:])
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss, states[:, keep - 1]

    return train_step


# @save
def make_train_epoch(model, optimizer, stride=None, carry_state=True):
    """A tf.function that runs train_step over every window of an epoch.

    The loop over windows runs inside the graph (AutoGraph turns `for k in
    tf.range(...)` into a loop op), with the state as a loop variable.
    Returns the loss of every window.
    """
    train_step = make_train_step(model, optimizer, stride)

    @tf.function
    def train_epoch(xs, ys):
        num_windows, batch_size = tf.shape(xs)[0], tf.shape(xs)[1]
        zero_state = tf.zeros([batch_size, model.state_size])
        state = zero_state
        losses = tf.TensorArray(tf.float32, size=num_windows)
        for k in tf.range(num_windows):
            if not carry_state:  # a Python bool: decided once, when tracing
                state = zero_state
            loss, state = train_step(xs[k], ys[k], state)
            losses = losses.write(k, loss)
        return losses.stack()

    return train_epoch


# @save
def train_rnn(model, epochs, batch_size, num_steps, stride=None, learning_rate=0.1,
              carry_state=True, clip_norm=1.0, optimizer=None):
    """Train model with Adagrad on each (x, y) series in epochs; return every window's loss.

    The state starts at zero at each epoch and is carried from window to window
    (or reset every window with carry_state=False). Every update's gradients are
    clipped to a global norm of at most clip_norm (None: no clipping). A given
    optimizer replaces Adagrad, learning_rate and clip_norm.
    """
    if optimizer is None:
        optimizer = keras.optimizers.Adagrad(learning_rate, global_clipnorm=clip_norm)
    train_epoch = make_train_epoch(model, optimizer, stride, carry_state)
    losses = []
    for x, y in epochs:
        xs, ys = stacked_windows(x, y, batch_size, num_steps, stride)
        losses.append(train_epoch(tf.constant(xs), tf.constant(ys)).numpy())
    return np.concatenate(losses)


# @save
class LSTM(tf.Module):
    """An LSTM written from tf.Variable up, with Keras' weight layout and
    gate order.

    kernel [num_classes, 4 units], recurrent_kernel [units, 4 units] and
    bias [4 units] hold the gates in the order i, f, c, o, as
    keras.layers.LSTMCell does, so its weights copy into a Keras cell
    unchanged. The forget gate's bias starts at 1 (Keras'
    unit_forget_bias). The training loop of chapter 3 carries one tensor,
    so the state travels as [h ; c], shape [batch, 2 units]: h first, as in
    Keras.
    """

    def __init__(self, units, num_classes=2, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.units, self.num_classes, self.state_size = units, num_classes, 2 * units
        self.kernel = tf.Variable(glorot_uniform(rng, num_classes, 4 * units), name="kernel")
        self.recurrent_kernel = tf.Variable(glorot_uniform(rng, units, 4 * units),
                                            name="recurrent_kernel")
        bias = np.zeros(4 * units, np.float32)
        bias[units : 2 * units] = 1.0
        self.bias = tf.Variable(bias, name="bias")
        self.U = tf.Variable(glorot_uniform(rng, units, num_classes), name="U")
        self.b_p = tf.Variable(tf.zeros([num_classes]), name="b_p")

    def step(self, input_t, h, c):
        """The LSTM equations: one step from (h, c) to the new (h, c)."""
        z = input_t @ self.kernel + h @ self.recurrent_kernel + self.bias
        z_i, z_f, z_c, z_o = tf.split(z, 4, axis=1)
        c = tf.sigmoid(z_f) * c + tf.sigmoid(z_i) * tf.tanh(z_c)
        h = tf.sigmoid(z_o) * tf.tanh(c)
        return h, c

    def cell(self, input_t, state):
        """step() for the chapter 3 and 4 loops, which carry one state tensor [h ; c]."""
        h, c = tf.split(state, 2, axis=1)
        return tf.concat(self.step(input_t, h, c), axis=1)

    def __call__(self, x, state):
        """As VanillaRNN: logits [batch, num_steps, num_classes] (read from
        h) and every state [batch, num_steps, 2 units].
        """
        inputs = tf.one_hot(x, self.num_classes)
        states = []
        for t in range(x.shape[1]):
            state = self.cell(inputs[:, t], state)
            states.append(state)
        states = tf.stack(states, axis=1)
        return states[..., : self.units] @ self.U + self.b_p, states
