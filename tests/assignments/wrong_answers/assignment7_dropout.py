"""Plausible wrong answers to assignment 7, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py.
"""

RATE_HEADER = "\ndef rate_from_keep_prob(keep_prob):\n"
RATE_CHECK = """    if not 0 < keep_prob <= 1:
        raise ValueError(f"keep_prob must be in (0, 1], got {keep_prob}")
"""
DROPOUT_HEADER = "\ndef inverted_dropout(x, rate, rng):\n"
STACK_HEADER = "\ndef dropout_stack(units, num_layers, rate):\n"
LOSS_HEADER = "\ndef mean_loss(model, x, y, training=False, samples=1):\n"


def dropout_body(keep="rng.random(x.shape) >= rate", kept="x / (1 - rate)"):
    """inverted_dropout as the solution writes it, with the mask or the scaling changed."""
    return DROPOUT_HEADER + f"""    x = np.asarray(x)
    keep = {keep}
    return np.where(keep, {kept}, 0.0).astype(x.dtype)
"""


def stack_body(after_lstm="keras.layers.Dropout(rate)", lstm="keras.layers.LSTM(units, "
               "return_sequences=True)"):
    """dropout_stack as the solution writes it, with the layer after each LSTM changed."""
    return STACK_HEADER + f"""    layers = [keras.Input((None, 2))]
    for _ in range(num_layers):
        layers += [{lstm}, {after_lstm}]
    return keras.Sequential([*layers, keras.layers.Dense(2)])
"""


WRONG_ANSWERS = {
    "keep probability copied across as the rate": (
        "rate_from_keep_prob",
        RATE_HEADER + RATE_CHECK + "    return keep_prob\n",
        ["keep_prob_values"],
    ),
    "no check of the argument": (
        "rate_from_keep_prob",
        RATE_HEADER + "    return 1 - keep_prob\n",
        ["keep_prob_errors"],
    ),
    "keep_prob = 1 rejected": (
        "rate_from_keep_prob",
        RATE_HEADER + """    if not 0 < keep_prob < 1:
        raise ValueError(f"keep_prob must be in (0, 1), got {keep_prob}")
    return 1 - keep_prob
""",
        ["keep_prob_values", "keep_prob_errors"],
    ),
    "survivors multiplied by the keep probability": (
        "inverted_dropout",
        dropout_body(kept="x * (1 - rate)"),
        ["dropout_values", "dropout_statistics"],
    ),
    "survivors not scaled": (
        "inverted_dropout",
        dropout_body(kept="x"),
        ["dropout_values", "dropout_statistics"],
    ),
    "rate used as the probability of keeping": (
        "inverted_dropout",
        dropout_body(keep="rng.random(x.shape) < rate"),
        ["dropout_values", "dropout_statistics"],
    ),
    "input changed in place": (
        "inverted_dropout",
        DROPOUT_HEADER + """    x *= (rng.random(x.shape) >= rate) / (1 - rate)
    return x
""",
        ["dropout_values"],
    ),
    "a mask from a fixed seed, not from rng": (
        "inverted_dropout",
        dropout_body(keep="np.random.default_rng(0).random(x.shape) >= rate"),
        ["dropout_statistics"],
    ),
    "recurrent dropout instead of dropout between layers": (
        "dropout_stack",
        STACK_HEADER + """    layers = [keras.Input((None, 2))]
    for _ in range(num_layers):
        layers.append(keras.layers.LSTM(units, return_sequences=True, recurrent_dropout=rate))
    return keras.Sequential([*layers, keras.layers.Dense(2)])
""",
        ["stack_layers"],
    ),
    "TensorFlow 1's keep probability passed to Dropout": (
        "dropout_stack",
        stack_body(after_lstm="keras.layers.Dropout(1 - rate)"),
        ["stack_layers"],
    ),
    "no dropout before the readout": (
        "dropout_stack",
        STACK_HEADER + """    lstm = keras.layers.LSTM
    layers = [keras.Input((None, 2)), lstm(units, return_sequences=True)]
    for _ in range(num_layers - 1):
        layers += [keras.layers.Dropout(rate), lstm(units, return_sequences=True)]
    return keras.Sequential([*layers, keras.layers.Dense(2)])
""",
        ["stack_layers"],
    ),
    "dropout on the inputs of every LSTM instead": (
        "dropout_stack",
        stack_body(lstm="keras.layers.LSTM(units, return_sequences=True, dropout=rate)",
                   after_lstm="keras.layers.Identity()"),
        ["stack_layers"],
    ),
    "dropout always off": (
        "mean_loss",
        LOSS_HEADER + "    return cross_entropy(y, model(x, training=False))\n",
        ["loss_on"],
    ),
    "dropout always on": (
        "mean_loss",
        LOSS_HEADER + """    return float(np.mean([cross_entropy(y, model(x, training=True))
                          for _ in range(samples)]))
""",
        ["loss_off"],
    ),
    "one sample whatever samples says": (
        "mean_loss",
        LOSS_HEADER + "    return cross_entropy(y, model(x, training=training))\n",
        ["loss_on"],
    ),
    # Monte Carlo dropout's average, which chapter 7 teaches, where the mean loss is asked.
    "loss of the mean prediction instead of the mean loss": (
        "mean_loss",
        LOSS_HEADER + """    if not training:
        return cross_entropy(y, model(x, training=False))
    p = np.mean([tf.nn.softmax(model(x, training=True)) for _ in range(samples)], axis=0)
    return float(cross_entropy(y, np.log(p)))
""",
        ["loss_on"],
    ),
    "median instead of mean of the losses": (
        "mean_loss",
        LOSS_HEADER + """    if not training:
        return cross_entropy(y, model(x, training=False))
    return float(np.median([cross_entropy(y, model(x, training=True)) for _ in range(samples)]))
""",
        ["loss_on"],
    ),
    # The shortcut the rules forbid: TensorFlow's dropout, seeded from rng.
    "inverted_dropout with tf.nn.dropout": (
        "inverted_dropout",
        """
def inverted_dropout(x, rate, rng):
    x = np.asarray(x)
    seed = int(rng.integers(2**31))
    return np.asarray(tf.nn.dropout(x, rate, seed=seed)).astype(x.dtype)
""",
        ["dropout_values", "dropout_statistics"],
    ),
}
