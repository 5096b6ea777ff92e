"""Plausible wrong answers to assignment 4, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

WHILE_HEADER = "\n@tf.function\ndef unroll_while(cell, inputs, state):\n"

WRONG_ANSWERS = {
    "scan over the batch axis (no transpose)": (
        "unroll_scan",
        """
def unroll_scan(cell, inputs, state):
    states = tf.scan(lambda s, x_t: cell(x_t, s), inputs, initializer=state)
    return states, states[-1]
""",
        ["scan_states", "scan_last"],
    ),
    "scan with the arguments of fn swapped": (
        "unroll_scan",
        """
def unroll_scan(cell, inputs, state):
    steps_first = tf.transpose(inputs, [1, 0, 2])
    states = tf.scan(lambda x_t, s: cell(x_t, s), steps_first, initializer=state)
    return tf.transpose(states, [1, 0, 2]), states[-1]
""",
        ["scan_states", "scan_last"],
    ),
    "scan returning the first state as the last": (
        "unroll_scan",
        """
def unroll_scan(cell, inputs, state):
    steps_first = tf.transpose(inputs, [1, 0, 2])
    states = tf.scan(lambda s, x_t: cell(x_t, s), steps_first, initializer=state)
    return tf.transpose(states, [1, 0, 2]), states[0]
""",
        ["scan_last"],
    ),
    "while written as a Python loop (static)": (
        "unroll_while",
        WHILE_HEADER
        + """    states = []
    for t in range(inputs.shape[1]):
        state = cell(inputs[:, t], state)
        states.append(state)
    return tf.stack(states, axis=1), state
""",
        ["while_is_dynamic"],
    ),
    "while as a comprehension over the steps (static)": (
        "unroll_while",
        WHILE_HEADER
        + """    states = [None]
    [states.append(cell(inputs[:, t], states[-1] if t else state))
     for t in range(inputs.shape[1])]
    return tf.stack(states[1:], axis=1), states[-1]
""",
        ["while_is_dynamic"],
    ),
    "while as a Python while statement over a number (static)": (
        "unroll_while",
        WHILE_HEADER
        + """    states, t = [], 0
    while t < inputs.shape[1]:
        state = cell(inputs[:, t], state)
        states.append(state)
        t += 1
    return tf.stack(states, axis=1), state
""",
        ["while_is_dynamic"],
    ),
    "while as a tf.range loop that never calls the cell (a stub)": (
        "unroll_while",
        WHILE_HEADER
        + """    num_steps = tf.shape(inputs)[1]
    states = tf.TensorArray(tf.float32, size=num_steps)
    for t in tf.range(num_steps):
        states = states.write(t, state)
    return tf.transpose(states.stack(), [1, 0, 2]), state
""",
        ["while_values", "while_is_dynamic"],
    ),
    "while over a range method of the student's own class (static, dishonest)": (
        "unroll_while",
        """
class Steps:
    def range(self, n):
        return list(range(n))


@tf.function
def unroll_while(cell, inputs, state):
    states = []
    for t in Steps().range(inputs.shape[1]):
        state = cell(inputs[:, t], state)
        states.append(state)
    return tf.stack(states, axis=1), state
""",
        ["while_is_dynamic"],
    ),
    "while returning the initial state": (
        "unroll_while",
        WHILE_HEADER
        + """    num_steps = tf.shape(inputs)[1]
    states = tf.TensorArray(tf.float32, size=num_steps)
    current = state
    for t in tf.range(num_steps):
        current = cell(inputs[:, t], current)
        states = states.write(t, current)
    return tf.transpose(states.stack(), [1, 0, 2]), state
""",
        ["while_values"],
    ),
    "while stacking steps first": (
        "unroll_while",
        WHILE_HEADER
        + """    num_steps = tf.shape(inputs)[1]
    states = tf.TensorArray(tf.float32, size=num_steps)
    for t in tf.range(num_steps):
        state = cell(inputs[:, t], state)
        states = states.write(t, state)
    return states.stack(), state
""",
        ["while_values"],
    ),
    "Keras kernel and recurrent kernel swapped": (
        "keras_weights",
        """
def keras_weights(W, b_s, input_size):
    W = np.asarray(W)
    return [W[input_size:], W[:input_size], np.asarray(b_s)]
""",
        ["keras_shapes", "keras_outputs"],
    ),
    "Keras kernel transposed": (
        "keras_weights",
        """
def keras_weights(W, b_s, input_size):
    W = np.asarray(W)
    return [W[:input_size].T, W[input_size:].T, np.asarray(b_s)]
""",
        ["keras_shapes", "keras_outputs"],
    ),
    "Keras split hard-coded for two input classes": (
        "keras_weights",
        """
def keras_weights(W, b_s, input_size):
    W = np.asarray(W)
    return [W[:2], W[2:], np.asarray(b_s)]
""",
        ["keras_outputs"],
    ),
    # The shortcuts the rules forbid: right numbers, wrong means.
    "unroll_scan calls the notebook's Python-loop reference": (
        "unroll_scan",
        """
def unroll_scan(cell, inputs, state):
    tf.scan  # named, to look the part
    return python_loop_reference(cell, inputs, state)
""",
        ["scan_states", "scan_last"],
    ),
    "unroll_scan with a Python loop of its own": (
        "unroll_scan",
        """
def unroll_scan(cell, inputs, state):
    states = tf.scan(lambda s, x_t: cell(x_t, s), tf.transpose(inputs, [1, 0, 2]),
                     initializer=state)
    steps = [states[t] for t in range(states.shape[0])]
    return tf.stack(steps, axis=1), steps[-1]
""",
        ["scan_states", "scan_last"],
    ),
}
