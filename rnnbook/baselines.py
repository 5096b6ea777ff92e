"""The best losses a model can reach on the course's tasks: the reference lines of
every learning curve. Derived and checked by experiment in chapter 2
(``book/ch02_expected_losses.ipynb``).
"""

import numpy as np


# @save
def binary_entropy(p):
    """Cross-entropy, in nats, of predicting P(1) = p for a target that is 1 with probability p."""
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    return np.where((p == 0) | (p == 1), 0.0, terms)


# @save
def expected_loss(case_probabilities, p_one_given_case):
    """Expected cross-entropy of a model that knows which case it is in,
    and nothing more.

    case_probabilities[i] is how often case i occurs; p_one_given_case[i]
    is P(Y = 1) in case i. The best prediction in each case is that
    probability itself, so the expected loss is the average binary entropy
    over the cases.
    """
    weights = np.asarray(case_probabilities, dtype=float)
    return float(np.sum(weights * binary_entropy(p_one_given_case)))


# @save
# The dependency task's four cases (X_{t-3}, X_{t-8}) = (0,0), (0,1), (1,0), (1,1),
# each with probability 1/4, and P(Y_t = 1) in each.
P_ONE = {(0, 0): 0.5, (0, 1): 0.25, (1, 0): 1.0, (1, 1): 0.75}

DEPENDENCY_BASELINES = {
    # knows nothing: one prediction for all four cases, the overall rate 0.625
    "no dependency": expected_loss([1.0], [np.mean(list(P_ONE.values()))]),
    # knows X_{t-3}: averages over X_{t-8} within each value of X_{t-3}
    "X[t-3] only": expected_loss(
        [0.5, 0.5], [(P_ONE[0, 0] + P_ONE[0, 1]) / 2, (P_ONE[1, 0] + P_ONE[1, 1]) / 2]
    ),
    # knows both: each case separately
    "X[t-3] and X[t-8]": expected_loss([0.25] * 4, list(P_ONE.values())),
}
