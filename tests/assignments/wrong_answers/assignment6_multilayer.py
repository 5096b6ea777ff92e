"""Plausible wrong answers to assignment 6, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

WEIGHTS_HEADER = "\ndef stack_weights(input_size, units, num_layers):\n"
STACK_HEADER = "\ndef make_stacked_rnn(units, num_layers):\n"
TF1_HEADER = "\ndef from_tf1_state(state):\n"
WINDOWS_HEADER = "\ndef run_stacked_windows(rnn, windows):\n"


def windows_loop(carry="window_outputs, *state = rnn(window, initial_state=state)",
                 pack="tf.stack([tf.stack(h_and_c) for h_and_c in state])"):
    """run_stacked_windows as the solution writes it, with one line changed."""
    return WINDOWS_HEADER + f"""    state, outputs = None, []
    for window in windows:
        {carry}
        outputs.append(window_outputs)
    return tf.concat(outputs, axis=1), {pack}
"""


WRONG_ANSWERS = {
    "every layer reads the input": (
        "stack_weights",
        WEIGHTS_HEADER + "    return num_layers * 4 * units * (input_size + units + 1)\n",
        ["weights_stack"],
    ),
    "no bias": (
        "stack_weights",
        WEIGHTS_HEADER
        + "    return 4 * units * (input_size + units) + (num_layers - 1) * 8 * units * units\n",
        ["weights_one_layer", "weights_stack"],
    ),
    "one cell object for every layer": (
        "make_stacked_rnn",
        STACK_HEADER + """    cell = keras.layers.LSTMCell(units)
    return keras.layers.RNN([cell] * num_layers, return_sequences=True, return_state=True)
""",
        ["stack_structure"],
    ),
    "no return_state": (
        "make_stacked_rnn",
        STACK_HEADER + """    cells = [keras.layers.LSTMCell(units) for _ in range(num_layers)]
    return keras.layers.RNN(cells, return_sequences=True)
""",
        ["stack_structure"],
    ),
    "TensorFlow 1's order kept": (
        "from_tf1_state",
        TF1_HEADER + "    return [[layer[0], layer[1]] for layer in tf.unstack(state)]\n",
        ["tf1_state_order"],
    ),
    "split along the wrong axis": (
        "from_tf1_state",
        TF1_HEADER + "    return [[pair[1], pair[0]] for pair in tf.unstack(state, axis=2)]\n",
        ["tf1_state_layers", "tf1_state_order"],
    ),
    "state not carried": (
        "run_stacked_windows",
        windows_loop(carry="window_outputs, *state = rnn(window)"),
        ["stacked_carry", "stacked_final_state"],
    ),
    "only the top layer's state carried": (
        "run_stacked_windows",
        WINDOWS_HEADER + """    state, outputs = None, []
    for window in windows:
        window_outputs, *layers = rnn(window, initial_state=state)
        outputs.append(window_outputs)
        state = [[tf.zeros_like(h), tf.zeros_like(c)] for h, c in layers[:-1]] + layers[-1:]
    return tf.concat(outputs, axis=1), tf.stack([tf.stack(pair) for pair in layers])
""",
        ["stacked_carry", "stacked_final_state"],
    ),
    "final state packed c first": (
        "run_stacked_windows",
        windows_loop(pack="tf.stack([tf.stack([c, h]) for h, c in state])"),
        ["stacked_final_state"],
    ),
    "final state packed [2, num_layers, ...]": (
        "run_stacked_windows",
        windows_loop(pack="tf.stack([tf.stack([h for h, _ in state]), "
                          "tf.stack([c for _, c in state])])"),
        ["stacked_final_state"],
    ),
}
