"""Plausible wrong answers to assignment 3, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""


def train_step_variant(body):
    """A make_train_step whose inner function has the given body (indented 8 spaces)."""
    return (
        "\ndef make_train_step(model, optimizer, clip_norm):\n"
        "    @tf.function\n"
        "    def train_step(x, y, state):\n"
        + body
        + "\n    return train_step\n"
    )


WRONG_ANSWERS = {
    "cell with the state before the input": (
        "rnn_cell",
        """
def rnn_cell(x_t, state, W, b):
    return tf.tanh(tf.concat([state, x_t], axis=1) @ W + b)
""",
        ["rnn_cell_values", "rnn_cell_batch"],
    ),
    "cell concatenating along the batch axis": (
        "rnn_cell",
        """
def rnn_cell(x_t, state, W, b):
    return tf.tanh(tf.concat([x_t, state], axis=0) @ W + b)
""",
        ["rnn_cell_values", "rnn_cell_batch"],
    ),
    "cell adding the bias after tanh": (
        "rnn_cell",
        """
def rnn_cell(x_t, state, W, b):
    return tf.tanh(tf.concat([x_t, state], axis=1) @ W) + b
""",
        ["rnn_cell_values", "rnn_cell_batch"],
    ),
    "unroll restarting every step from the initial state": (
        "unroll",
        """
def unroll(cell, inputs, state):
    states = [cell(inputs[:, t], state) for t in range(inputs.shape[1])]
    return tf.stack(states, axis=1), states[-1]
""",
        ["unroll_states"],
    ),
    "unroll stacking along the batch axis": (
        "unroll",
        """
def unroll(cell, inputs, state):
    states = []
    for t in range(inputs.shape[1]):
        state = cell(inputs[:, t], state)
        states.append(state)
    return tf.stack(states, axis=0), state
""",
        ["unroll_states", "unroll_final"],
    ),
    "unroll returning the initial state to carry": (
        "unroll",
        """
def unroll(cell, inputs, state):
    initial, states = state, []
    for t in range(inputs.shape[1]):
        state = cell(inputs[:, t], state)
        states.append(state)
    return tf.stack(states, axis=1), initial
""",
        ["unroll_final"],
    ),
    "epoch that never carries the state": (
        "run_epoch",
        """
def run_epoch(train_step, xs, ys, state_size, carry_state=True):
    zero_state = tf.zeros([xs.shape[1], state_size])
    return np.array([float(train_step(x, y, zero_state)[0]) for x, y in zip(xs, ys)])
""",
        ["epoch_carries", "epoch_reset"],
    ),
    "epoch that ignores carry_state=False": (
        "run_epoch",
        """
def run_epoch(train_step, xs, ys, state_size, carry_state=True):
    state, losses = tf.zeros([xs.shape[1], state_size]), []
    for x, y in zip(xs, ys):
        loss, state = train_step(x, y, state)
        losses.append(float(loss))
    return np.array(losses)
""",
        ["epoch_reset"],
    ),
    "epoch returning a list": (
        "run_epoch",
        """
def run_epoch(train_step, xs, ys, state_size, carry_state=True):
    zero_state = tf.zeros([xs.shape[1], state_size])
    state, losses = zero_state, []
    for x, y in zip(xs, ys):
        loss, state = train_step(x, y, state if carry_state else zero_state)
        losses.append(float(loss))
    return losses
""",
        ["epoch_carries"],
    ),
    "reach counting j > lag (off by one)": (
        "errors_reaching",
        """
def errors_reaching(num_steps, lag, stride=None):
    stride = stride or num_steps
    return sum(j > lag for j in range(num_steps - stride, num_steps)) / stride
""",
        ["reach_basic", "reach_stride"],
    ),
    "reach ignoring the stride": (
        "errors_reaching",
        """
def errors_reaching(num_steps, lag, stride=None):
    return max(num_steps - lag, 0) / num_steps
""",
        ["reach_stride"],
    ),
    "step clipping each gradient on its own": (
        "make_train_step",
        train_step_variant("""
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = sequence_loss(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        norm = tf.linalg.global_norm(gradients)
        clipped = [tf.clip_by_norm(g, clip_norm) for g in gradients]
        optimizer.apply_gradients(zip(clipped, model.trainable_variables))
        return loss, states[:, -1], norm
"""),
        ["step_matches"],
    ),
    "step returning the norm after clipping": (
        "make_train_step",
        train_step_variant("""
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = sequence_loss(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        clipped, _ = tf.clip_by_global_norm(gradients, clip_norm)
        optimizer.apply_gradients(zip(clipped, model.trainable_variables))
        return loss, states[:, -1], tf.linalg.global_norm(clipped)
"""),
        ["step_matches"],
    ),
    "step returning the state it was given": (
        "make_train_step",
        train_step_variant("""
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = sequence_loss(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        clipped, norm = tf.clip_by_global_norm(gradients, clip_norm)
        optimizer.apply_gradients(zip(clipped, model.trainable_variables))
        return loss, state, norm
"""),
        ["step_matches", "step_learns"],
    ),
    "step that never applies the gradients": (
        "make_train_step",
        train_step_variant("""
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = sequence_loss(y, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        _, norm = tf.clip_by_global_norm(gradients, clip_norm)
        return loss, states[:, -1], norm
"""),
        ["step_matches", "step_learns"],
    ),
    "step with the summed instead of the mean loss": (
        "make_train_step",
        train_step_variant("""
        with tf.GradientTape() as tape:
            logits, states = model(x, state)
            loss = tf.reduce_sum(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        gradients = tape.gradient(loss, model.trainable_variables)
        clipped, norm = tf.clip_by_global_norm(gradients, clip_norm)
        optimizer.apply_gradients(zip(clipped, model.trainable_variables))
        return loss, states[:, -1], norm
"""),
        # Adagrad divides by the gradients' own scale, so a summed loss still trains
        # (0.525 and 0.521 on new data, measured 2026-12-02): one step shows the mistake.
        ["step_matches"],
    ),
}
