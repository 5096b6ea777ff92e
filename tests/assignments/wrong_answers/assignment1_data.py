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

WRONG_ANSWERS = {
    "echo shifted one step too far": (
        "echo_series",
        """
def echo_series(n, rng, echo_step=3):
    x = rng.integers(0, 2, size=n)
    y = np.zeros_like(x)
    y[echo_step + 1:] = x[: n - echo_step - 1]
    return x, y
""",
        ["echo_shift"],
    ),
    "echo with np.roll, first targets not zeroed": (
        "echo_series",
        """
def echo_series(n, rng, echo_step=3):
    x = rng.integers(0, 2, size=n)
    return x, np.roll(x, echo_step)
""",
        ["echo_shift"],
    ),
    "echo with a fresh unseeded generator": (
        "echo_series",
        """
def echo_series(n, rng, echo_step=3):
    x = np.random.default_rng().integers(0, 2, size=n)
    y = np.zeros_like(x)
    y[echo_step:] = x[: n - echo_step]
    return x, y
""",
        ["echo_seeded"],
    ),
    "echo with the global NumPy random state": (
        "echo_series",
        """
def echo_series(n, rng, echo_step=3):
    x = np.random.randint(0, 2, size=n)
    y = np.zeros_like(x)
    y[echo_step:] = x[: n - echo_step]
    return x, y
""",
        ["echo_seeded"],
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
    "batch matrix with rows and columns swapped": (
        "to_batch_matrix",
        """
def to_batch_matrix(series, batch_size):
    row_length = len(series) // batch_size
    return np.asarray(series)[: batch_size * row_length].reshape(row_length, batch_size).T
""",
        ["matrix_layout", "matrix_remainder", "windows_continue"],
    ),
    "batch matrix that keeps the remainder": (
        "to_batch_matrix",
        """
def to_batch_matrix(series, batch_size):
    rows = np.array_split(np.asarray(series), batch_size)
    width = min(len(row) for row in rows)
    return np.stack([row[:width] for row in rows])
""",
        ["matrix_remainder"],
    ),
    "windows that restart at the first column every time": (
        "batch_windows",
        """
def batch_windows(x, y, batch_size, num_steps):
    data_x = to_batch_matrix(x, batch_size)
    data_y = to_batch_matrix(y, batch_size)
    for k in range(data_x.shape[1] // num_steps):
        yield data_x[:, :num_steps], data_y[:, :num_steps]
""",
        ["windows_continue"],
    ),
    "windows that overlap, moving one step at a time": (
        "batch_windows",
        """
def batch_windows(x, y, batch_size, num_steps):
    data_x = to_batch_matrix(x, batch_size)
    data_y = to_batch_matrix(y, batch_size)
    for k in range(data_x.shape[1] - num_steps + 1):
        yield data_x[:, k : k + num_steps], data_y[:, k : k + num_steps]
""",
        ["windows_shapes", "windows_continue"],
    ),
    "windows cut along the wrong axis": (
        "batch_windows",
        """
def batch_windows(x, y, batch_size, num_steps):
    data_x = to_batch_matrix(x, batch_size).T
    data_y = to_batch_matrix(y, batch_size).T
    for k in range(data_x.shape[0] // num_steps):
        rows = slice(k * num_steps, (k + 1) * num_steps)
        yield data_x[rows], data_y[rows]
""",
        ["windows_shapes", "windows_continue"],
    ),
}
