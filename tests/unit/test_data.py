import numpy as np
import pytest

from rnnbook import batch_windows, dependency_series, echo_series, to_batch_matrix


def test_dependency_series_is_seeded_and_shaped():
    x1, y1 = dependency_series(100, np.random.default_rng(5))
    x2, y2 = dependency_series(100, np.random.default_rng(5))
    assert x1.shape == y1.shape == (100,)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


def test_dependency_series_conditional_probabilities():
    x, y = dependency_series(400_000, np.random.default_rng(0))
    lag3, lag8, target = x[5:-3], x[:-8], y[8:]
    for a in (0, 1):
        for b in (0, 1):
            case = (lag3 == a) & (lag8 == b)
            p = 0.5 + 0.5 * a - 0.25 * b
            tolerance = 5 * np.sqrt(0.25 / case.sum())
            assert target[case].mean() == pytest.approx(p, abs=tolerance)


def test_dependency_series_first_targets_use_a_prehistory():
    # Over many short series, y[0] is 1 at the marginal rate 0.625, not at 0.5 (zeros
    # before the start) and not tied to the last inputs (wrap-around).
    firsts = np.array([dependency_series(10, np.random.default_rng(s))[1][0] for s in range(4000)])
    assert firsts.mean() == pytest.approx(0.625, abs=0.03)


@pytest.mark.parametrize("echo_step", [1, 3, 7])
def test_echo_series_shifts(echo_step):
    x, y = echo_series(50, np.random.default_rng(1), echo_step)
    assert np.all(y[:echo_step] == 0)
    assert np.array_equal(y[echo_step:], x[:-echo_step])


def test_to_batch_matrix_rows_are_consecutive_and_remainder_dropped():
    assert to_batch_matrix(np.arange(14), 4).tolist() == np.arange(12).reshape(4, 3).tolist()


def test_batch_windows_continue_row_by_row():
    steps = np.arange(1000)
    windows = [wx for wx, _ in batch_windows(steps, steps, 10, 7)]
    assert len(windows) == 14
    assert all(w.shape == (10, 7) for w in windows)
    assert np.array_equal(np.concatenate(windows, axis=1), steps.reshape(10, 100)[:, :98])
