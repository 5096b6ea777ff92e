"""Plausible wrong answers to assignment 5, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

STEP_HEADER = "\ndef lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):\n"
STEP_GATES = """    z = x_t @ kernel + h @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = tf.split(z, 4, axis=1)
"""
CONVERT_HEADER = (
    "\ndef keras_weights_from_tf1(tf1_kernel, tf1_bias, input_size, forget_bias=1.0):\n")
REORDER = """    def reorder(columns):
        i, j, f, o = np.split(np.asarray(columns), 4, axis=-1)
        return np.concatenate([i, f, j, o], axis=-1)

"""
WINDOWS_HEADER = "\ndef run_windows(layer, windows):\n"


def windows_loop(next_state="[h, c]", axis=1):
    """run_windows as the solution writes it, with the carried state or the axis changed."""
    return WINDOWS_HEADER + f"""    state, outputs = None, []
    for window in windows:
        every_h, h, c = layer(window, initial_state=state)
        outputs.append(every_h)
        state = {next_state}
    return tf.concat(outputs, axis={axis})
"""

BLOCKERS_REST = """    if layer.recurrent_activation is not keras.activations.sigmoid:
        blockers.append("recurrent_activation")
    if layer.recurrent_dropout:
        blockers.append("recurrent_dropout")
    if layer.unroll:
        blockers.append("unroll")
    if not layer.use_bias:
        blockers.append("use_bias")
"""

def step_returning(returns):
    """lstm_step as the solution writes it, up to the new c, then the given return line."""
    new_c = "    new_c = tf.sigmoid(z_f) * c + tf.sigmoid(z_i) * tf.tanh(z_c)\n"
    return STEP_HEADER + STEP_GATES + new_c + f"    return {returns}\n"


WRONG_ANSWERS = {
    "TensorFlow 1's gate order i, j, f, o": (
        "lstm_step",
        STEP_HEADER
        + """    z = x_t @ kernel + h @ recurrent_kernel + bias
    z_i, z_c, z_f, z_o = tf.split(z, 4, axis=1)
    new_c = tf.sigmoid(z_f) * c + tf.sigmoid(z_i) * tf.tanh(z_c)
    return tf.sigmoid(z_o) * tf.tanh(new_c), new_c
""",
        ["step_keras", "step_sequence"],
    ),
    "h from the old cell state": (
        "lstm_step",
        step_returning("tf.sigmoid(z_o) * tf.tanh(c), new_c"),
        ["step_keras", "step_sequence"],
    ),
    "h without the tanh": (
        "lstm_step",
        step_returning("tf.sigmoid(z_o) * new_c, new_c"),
        ["step_keras", "step_sequence"],
    ),
    "returns (c, h), TensorFlow 1's order": (
        "lstm_step",
        step_returning("new_c, tf.sigmoid(z_o) * tf.tanh(new_c)"),
        ["step_keras", "step_sequence"],
    ),
    "conversion without reordering the gates": (
        "keras_weights_from_tf1",
        CONVERT_HEADER
        + """    bias = np.array(tf1_bias, copy=True)
    units = bias.shape[0] // 4
    bias[2 * units : 3 * units] += forget_bias
    return [tf1_kernel[:input_size], tf1_kernel[input_size:], bias]
""",
        ["convert_kernel", "convert_bias"],
    ),
    "conversion with the recurrent rows taken first": (
        "keras_weights_from_tf1",
        CONVERT_HEADER + REORDER
        + """    kernel, bias = reorder(tf1_kernel), reorder(tf1_bias)
    units = bias.shape[0] // 4
    bias[units : 2 * units] += forget_bias
    return [kernel[units:], kernel[:units], bias]
""",
        ["convert_kernel", "convert_bias"],
    ),
    "conversion forgetting the forget bias": (
        "keras_weights_from_tf1",
        CONVERT_HEADER + REORDER
        + """    kernel = reorder(tf1_kernel)
    return [kernel[:input_size], kernel[input_size:], reorder(tf1_bias)]
""",
        ["convert_bias"],
    ),
    "conversion adding the forget bias where TF1 kept f": (
        "keras_weights_from_tf1",
        CONVERT_HEADER + REORDER
        + """    kernel, bias = reorder(tf1_kernel), reorder(tf1_bias)
    units = bias.shape[0] // 4
    bias[2 * units : 3 * units] += forget_bias
    return [kernel[:input_size], kernel[input_size:], bias]
""",
        ["convert_bias"],
    ),
    "conversion that changes the caller's bias": (
        "keras_weights_from_tf1",
        CONVERT_HEADER + REORDER
        + """    units = tf1_bias.shape[0] // 4
    tf1_bias[2 * units : 3 * units] += forget_bias
    kernel = reorder(tf1_kernel)
    return [kernel[:input_size], kernel[input_size:], reorder(tf1_bias)]
""",
        ["convert_bias"],
    ),
    "state not carried between windows": (
        "run_windows",
        WINDOWS_HEADER
        + """    return tf.concat([layer(window)[0] for window in windows], axis=1)
""",
        ["carry_matches"],
    ),
    "state carried as [c, h]": (
        "run_windows",
        windows_loop(next_state="[c, h]"),
        ["carry_matches"],
    ),
    "windows joined along the batch axis": (
        "run_windows",
        windows_loop(axis=0),
        ["carry_matches"],
    ),
    "activation compared with the string 'tanh'": (
        "cudnn_blockers",
        """
def cudnn_blockers(layer):
    blockers = []
    if layer.activation != "tanh":
        blockers.append("activation")
"""
        + BLOCKERS_REST
        + """    if layer.use_cudnn is False:
        blockers.append("use_cudnn")
    return sorted(blockers)
""",
        ["blockers_single", "blockers_combined"],
    ),
    "input dropout counted as a blocker": (
        "cudnn_blockers",
        """
def cudnn_blockers(layer):
    blockers = []
    if layer.activation is not keras.activations.tanh:
        blockers.append("activation")
    if layer.dropout:
        blockers.append("dropout")
"""
        + BLOCKERS_REST
        + """    if layer.use_cudnn is False:
        blockers.append("use_cudnn")
    return sorted(blockers)
""",
        ["blockers_combined"],
    ),
    "use_cudnn=False not counted": (
        "cudnn_blockers",
        """
def cudnn_blockers(layer):
    blockers = []
    if layer.activation is not keras.activations.tanh:
        blockers.append("activation")
"""
        + BLOCKERS_REST
        + """    return sorted(blockers)
""",
        ["blockers_single", "blockers_combined"],
    ),
    "names not sorted": (
        "cudnn_blockers",
        """
def cudnn_blockers(layer):
    blockers = []
"""
        + BLOCKERS_REST
        + """    if layer.activation is not keras.activations.tanh:
        blockers.append("activation")
    if layer.use_cudnn is False:
        blockers.append("use_cudnn")
    return blockers
""",
        ["blockers_combined"],
    ),
    # The shortcut the rules forbid: Keras computes the step.
    "lstm_step through the notebook's Keras helper": (
        "lstm_step",
        """
def lstm_step(x_t, h, c, kernel, recurrent_kernel, bias):
    _, (new_h, new_c) = keras_cell_with(kernel, recurrent_kernel, bias)(x_t, [h, c])
    return new_h, new_c
""",
        ["step_keras", "step_sequence"],
    ),
}
