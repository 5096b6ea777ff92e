import numpy as np
import pytest

from rnnbook import DEPENDENCY_BASELINES, binary_entropy, expected_loss


def test_binary_entropy_limits():
    assert binary_entropy(0.5) == pytest.approx(np.log(2))
    assert binary_entropy(0.0) == 0.0 and binary_entropy(1.0) == 0.0
    assert binary_entropy(0.25) == pytest.approx(binary_entropy(0.75))


def test_dependency_baselines_match_the_original_numbers():
    assert DEPENDENCY_BASELINES["no dependency"] == pytest.approx(0.661563238158, abs=1e-10)
    assert DEPENDENCY_BASELINES["X[t-3] only"] == pytest.approx(0.519166699707, abs=1e-10)
    assert DEPENDENCY_BASELINES["X[t-3] and X[t-8]"] == pytest.approx(0.454454367449, abs=1e-10)


def test_expected_loss_is_a_weighted_average():
    assert expected_loss([0.5, 0.5], [0.5, 1.0]) == pytest.approx(0.5 * np.log(2))
