"""The two toy tasks of the course and the batching that feeds them to an RNN.

Written out and explained in chapter 1 (``book/ch01_data.ipynb``).
"""

from collections.abc import Iterator

import numpy as np


# @save
def dependency_series(n, rng):
    """Sample the dependency task: n inputs X and n targets Y, both 0/1 int
    arrays.

    X_t ~ Bernoulli(0.5) and P(Y_t = 1) = 0.5 + 0.5 X_{t-3} - 0.25 X_{t-8}.
    The first targets depend on inputs before the series starts, so we draw
    8 extra inputs as a "pre-history" and return only the last n: every Y_t
    has real lags.
    """
    x_all = rng.integers(0, 2, size=n + 8)
    p_one = 0.5 + 0.5 * x_all[5 : n + 5] - 0.25 * x_all[0:n]
    y = (rng.random(n) < p_one).astype(np.int64)
    return x_all[8:], y


# @save
def echo_series(n, rng, echo_step=3):
    """Sample the echo task: y is x delayed by echo_step steps.

    The first echo_step targets have no input to echo; they are 0 by convention.
    """
    x = rng.integers(0, 2, size=n)
    y = np.zeros_like(x)
    y[echo_step:] = x[: n - echo_step]
    return x, y


# @save
def to_batch_matrix(series, batch_size):
    """Cut one long series into batch_size consecutive pieces, one piece per row.

    Row i holds series[i * L : (i + 1) * L] with L = len(series) // batch_size;
    the last len(series) % batch_size values are dropped.
    """
    row_length = len(series) // batch_size
    return np.asarray(series)[: batch_size * row_length].reshape(batch_size, row_length)


# @save
def batch_windows(x, y, batch_size, num_steps) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (x_window, y_window) pairs of shape [batch_size, num_steps].

    Window k+1 starts where window k ended, in every row, so an RNN can
    carry its state from one window to the next. Columns that do not fill a
    window are dropped.
    """
    data_x = to_batch_matrix(x, batch_size)
    data_y = to_batch_matrix(y, batch_size)
    num_windows = data_x.shape[1] // num_steps
    for k in range(num_windows):
        columns = slice(k * num_steps, (k + 1) * num_steps)
        yield data_x[:, columns], data_y[:, columns]
