"""Plausible wrong answers to assignment 1, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission. The grading
test checks that the named test cells score zero and that every other cell keeps its
points, so a wrong answer costs exactly the credit of what it gets wrong.
"""

# The start of a lagged_series that validates its parameters; the wrong answers that
# get something else wrong share it.
LAGGED_SERIES_WITH_CHECKS = """
def lagged_series(n, rng, effects={3: 0.5, 8: -0.25}, base=0.5):
    lowest = base + sum(min(e, 0) for e in effects.values())
    highest = base + sum(max(e, 0) for e in effects.values())
    if lowest < 0 or highest > 1:
        raise ValueError("probability outside [0, 1]")
"""

# A right xor_echo_series but for where its coin flips come from.
XOR_ECHO_DRAWN_BY = """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = {draw}
    y = np.zeros_like(x)
    start = max(lags)
    for lag in lags:
        y[start:] ^= x[start - lag : n - lag]
    return x, y
"""

# A window_position with its three choices open: the row length, when a step is dropped,
# and the order of the answer. The wrong answers below each get one of them wrong.
WINDOW_POSITION = """
def window_position(t, n, batch_size, num_steps):
    row_length = {row_length}
    row, position = divmod(t, row_length)
    window, column = divmod(position, num_steps)
    if {dropped}:
        return None
    return {answer}
"""
RIGHT = {"row_length": "n // batch_size", "answer": "window, row, column",
         "dropped": "row >= batch_size or window >= row_length // num_steps"}

WRONG_ANSWERS = {
    "xor echo shifted one step too far": (
        "xor_echo_series",
        """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = rng.integers(0, 2, size=n)
    y = np.zeros_like(x)
    start = max(lags) + 1
    for lag in lags:
        y[start:] += x[start - lag - 1 : n - lag - 1]
    return x, y % 2
""",
        ["xor_values"],
    ),
    "xor echo with OR instead of XOR": (
        "xor_echo_series",
        """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = rng.integers(0, 2, size=n)
    y = np.zeros_like(x)
    start = max(lags)
    for lag in lags:
        y[start:] |= x[start - lag : n - lag]
    return x, y
""",
        ["xor_values"],
    ),
    "xor echo with np.roll, first targets not zeroed": (
        "xor_echo_series",
        """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = rng.integers(0, 2, size=n)
    return x, sum(np.roll(x, lag) for lag in lags) % 2
""",
        ["xor_values"],
    ),
    "xor echo hard-coded to lags 3 and 5": (
        "xor_echo_series",
        """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = rng.integers(0, 2, size=n)
    y = np.zeros_like(x)
    y[5:] = x[2 : n - 3] ^ x[0 : n - 5]
    return x, y
""",
        ["xor_values"],
    ),
    "xor echo returning booleans": (
        "xor_echo_series",
        """
def xor_echo_series(n, rng, lags=(3, 5)):
    x = rng.integers(0, 2, size=n)
    y = np.zeros(n, dtype=bool)
    start = max(lags)
    for lag in lags:
        y[start:] ^= x[start - lag : n - lag].astype(bool)
    return x, y
""",
        ["xor_shape"],
    ),
    "xor echo with a fresh unseeded generator": (
        "xor_echo_series",
        XOR_ECHO_DRAWN_BY.format(draw="np.random.default_rng().integers(0, 2, size=n)"),
        ["xor_seeded"],
    ),
    "xor echo with the global NumPy random state": (
        "xor_echo_series",
        XOR_ECHO_DRAWN_BY.format(draw="np.random.randint(0, 2, size=n)"),
        ["xor_seeded"],
    ),
    "lagged series with every lag off by one": (
        "lagged_series",
        LAGGED_SERIES_WITH_CHECKS
        + """    history = max(effects)
    x_all = rng.integers(0, 2, size=n + history)
    p_one = np.full(n, float(base))
    for lag, effect in effects.items():
        p_one += effect * x_all[history - lag + 1 : history - lag + 1 + n]
    return x_all[history:], (rng.random(n) < p_one).astype(int)
""",
        ["lagged_probabilities"],
    ),
    "lagged series that wraps around like the original loop": (
        "lagged_series",
        LAGGED_SERIES_WITH_CHECKS
        + """    x = rng.integers(0, 2, size=n)
    y = np.zeros(n, dtype=int)
    for t in range(n):
        p = base + sum(effect * x[t - lag] for lag, effect in effects.items())
        y[t] = rng.random() < p
    return x, y
""",
        ["lagged_start"],
    ),
    "lagged series with zeros before the start": (
        "lagged_series",
        LAGGED_SERIES_WITH_CHECKS
        + """    x = rng.integers(0, 2, size=n)
    padded = np.concatenate([np.zeros(max(effects), dtype=x.dtype), x])
    p_one = np.full(n, float(base))
    for lag, effect in effects.items():
        p_one += effect * padded[max(effects) - lag : max(effects) - lag + n]
    return x, (rng.random(n) < p_one).astype(int)
""",
        ["lagged_start"],
    ),
    "lagged series that never checks its parameters": (
        "lagged_series",
        """
def lagged_series(n, rng, effects={3: 0.5, 8: -0.25}, base=0.5):
    history = max(effects)
    x_all = rng.integers(0, 2, size=n + history)
    p_one = np.full(n, float(base))
    for lag, effect in effects.items():
        p_one += effect * x_all[history - lag : history - lag + n]
    return x_all[history:], (rng.random(n) < p_one).astype(int)
""",
        ["lagged_basics"],
    ),
    "lagged series hard-coded to lags 3 and 8": (
        "lagged_series",
        LAGGED_SERIES_WITH_CHECKS
        + """    x_all = rng.integers(0, 2, size=n + 8)
    p_one = 0.5 + 0.5 * x_all[5 : n + 5] - 0.25 * x_all[0:n]
    return x_all[8:], (rng.random(n) < p_one).astype(int)
""",
        ["lagged_probabilities", "lagged_start"],
    ),
    "window position with rows of n // num_steps steps": (
        "window_position",
        WINDOW_POSITION.format(**{**RIGHT, "row_length": "n // num_steps"}),
        ["position_kept", "position_dropped"],
    ),
    "window position with row and window swapped": (
        "window_position",
        WINDOW_POSITION.format(**{**RIGHT, "answer": "row, window, column"}),
        ["position_kept"],
    ),
    "window position that keeps the end of every row": (
        "window_position",
        WINDOW_POSITION.format(**{**RIGHT, "dropped": "row >= batch_size"}),
        ["position_dropped"],
    ),
    "window position that keeps the end of the series": (
        "window_position",
        WINDOW_POSITION.format(**{**RIGHT, "dropped": "window >= row_length // num_steps"}),
        ["position_dropped"],
    ),
    "window position found by searching chapter 1's windows": (
        "window_position",
        """
def window_position(t, n, batch_size, num_steps):
    steps = np.arange(n)
    for k, (window, _) in enumerate(batch_windows(steps, steps, batch_size, num_steps)):
        found = np.argwhere(window == t)
        if len(found):
            return k, int(found[0][0]), int(found[0][1])
    return None
""",
        ["position_kept", "position_dropped"],
    ),
    "unbatch along the wrong axis": (
        "unbatch",
        """
def unbatch(windows):
    return np.concatenate([np.asarray(w) for w in windows], axis=0).reshape(-1)
""",
        ["unbatch_order", "unbatch_general"],
    ),
    "unbatch column by column": (
        "unbatch",
        """
def unbatch(windows):
    rows = np.concatenate([np.asarray(w) for w in windows], axis=1)
    return rows.reshape(-1, order="F")
""",
        ["unbatch_order", "unbatch_general"],
    ),
    "unbatch that needs a list": (
        "unbatch",
        """
def unbatch(windows):
    rows = np.concatenate([np.asarray(windows[k]) for k in range(len(windows))], axis=1)
    return rows.reshape(-1)
""",
        ["unbatch_general"],
    ),
}
