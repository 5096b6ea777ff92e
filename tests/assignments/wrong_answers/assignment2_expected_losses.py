"""Plausible wrong answers to assignment 2, and the test cells each must fail.

Each entry replaces one solution cell of an otherwise correct submission; see
tests/assignments/test_wrong_answers.py. The tests of parts 2 and 3 use the course's
reference versions of the earlier parts, so a wrong binary_entropy costs only part 1's
points.
"""

COUNT_START = """
def count_based_loss(lags, train, test):
    start = max(lags, default=0)
    (x_train, y_train), (x_test, y_test) = train, test
    num_cases = 2 ** len(lags)
"""

COUNT_END = """
    train_cases = cases(x_train)
    ones = np.bincount(train_cases, weights=np.asarray(y_train)[start:], minlength=num_cases)
    totals = np.bincount(train_cases, minlength=num_cases)
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(totals > 0, ones / totals, 0.5)
    p_one = np.clip(fraction, 1e-6, 1 - 1e-6)[cases(x_test)]
    target = np.asarray(y_test)[start:]
    return float(np.mean(-(target * np.log(p_one) + (1 - target) * np.log(1 - p_one))))
"""

WRONG_ANSWERS = {
    "entropy in bits (log base 2)": (
        "binary_entropy",
        """
def binary_entropy(p):
    p = np.asarray(p, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    return np.where((p == 0) | (p == 1), 0.0, terms)
""",
        ["entropy_values", "entropy_edges"],
    ),
    "entropy formula as written, nan at 0 and 1": (
        "binary_entropy",
        """
def binary_entropy(p):
    p = np.asarray(p, dtype=float)
    return -(p * np.log(p) + (1 - p) * np.log(1 - p))
""",
        ["entropy_edges"],
    ),
    "expected loss ignores the case probabilities": (
        "expected_loss",
        """
def expected_loss(case_probabilities, p_one_given_case):
    if abs(sum(case_probabilities) - 1) > 1e-9:
        raise ValueError("case probabilities must sum to 1")
    return float(np.mean(binary_entropy(p_one_given_case)))
""",
        ["expected_loss_values"],
    ),
    "expected loss without the check": (
        "expected_loss",
        """
def expected_loss(case_probabilities, p_one_given_case):
    weights = np.asarray(case_probabilities, dtype=float)
    return float(np.sum(weights * binary_entropy(p_one_given_case)))
""",
        ["expected_loss_checks"],
    ),
    "baseline treats unknown inputs as known": (
        "baseline",
        """
def baseline(effects, base, known_lags):
    lags = list(effects)
    probabilities = [
        base + sum(effects[lag] * v for lag, v in zip(lags, values))
        for values in itertools.product([0, 1], repeat=len(lags))
    ]
    return expected_loss([1 / len(probabilities)] * len(probabilities), probabilities)
""",
        ["baseline_chapter", "baseline_general"],
    ),
    "baseline sets unknown inputs to 0 instead of averaging": (
        "baseline",
        """
def baseline(effects, base, known_lags):
    probabilities = []
    for values in itertools.product([0, 1], repeat=len(known_lags)):
        probabilities.append(base + sum(effects[g] * v for g, v in zip(known_lags, values)))
    return expected_loss([1 / len(probabilities)] * len(probabilities), probabilities)
""",
        ["baseline_chapter", "baseline_general"],
    ),
    "baseline hard-codes the chapter's numbers": (
        "baseline",
        """
def baseline(effects, base, known_lags):
    return {0: 0.6616, 1: 0.5192, 2: 0.4545}[len(known_lags)]
""",
        ["baseline_chapter", "baseline_general"],
    ),
    "baseline pairs known lags with values in sorted order": (
        "baseline",
        """
def baseline(effects, base, known_lags):
    unknown = sum(e * 0.5 for g, e in effects.items() if g not in known_lags)
    ordered = sorted(effects)
    probabilities = []
    for values in itertools.product([0, 1], repeat=len(known_lags)):
        known = sum(effects[g] * v for g, v in zip(ordered, values))
        probabilities.append(base + unknown + known)
    return expected_loss([1 / len(probabilities)] * len(probabilities), probabilities)
""",
        ["baseline_chapter", "baseline_general"],
    ),
    "counting with every lag off by one": (
        "count_based_loss",
        COUNT_START
        + """
    def cases(x):
        code = np.zeros(len(x) - start, dtype=np.int64)
        for lag in lags:
            code = 2 * code + np.asarray(x)[start - lag + 1 : len(x) - lag + 1]
        return code
"""
        + COUNT_END,
        ["count_exact", "count_baselines"],
    ),
    "counting wraps around to the end of the series": (
        "count_based_loss",
        """
def count_based_loss(lags, train, test):
    def cases(x):
        code = np.zeros(len(x), dtype=np.int64)
        for lag in lags:
            code = 2 * code + np.roll(np.asarray(x), lag)
        return code

    (x_train, y_train), (x_test, y_test) = train, test
    num_cases = 2 ** len(lags)
    ones = np.bincount(cases(x_train), weights=np.asarray(y_train), minlength=num_cases)
    totals = np.bincount(cases(x_train), minlength=num_cases)
    fraction = np.where(totals > 0, ones / np.maximum(totals, 1), 0.5)
    p_one = np.clip(fraction, 1e-6, 1 - 1e-6)[cases(x_test)]
    target = np.asarray(y_test)
    return float(np.mean(-(target * np.log(p_one) + (1 - target) * np.log(1 - p_one))))
""",
        ["count_exact"],
    ),
    "counting without clipping": (
        "count_based_loss",
        COUNT_START
        + """
    def cases(x):
        code = np.zeros(len(x) - start, dtype=np.int64)
        for lag in lags:
            code = 2 * code + np.asarray(x)[start - lag : len(x) - lag]
        return code

    train_cases = cases(x_train)
    ones = np.bincount(train_cases, weights=np.asarray(y_train)[start:], minlength=num_cases)
    totals = np.bincount(train_cases, minlength=num_cases)
    p_one = (ones / np.maximum(totals, 1))[cases(x_test)]
    target = np.asarray(y_test)[start:]
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(target * np.log(p_one) + (1 - target) * np.log(1 - p_one))
    return float(np.nanmean(losses))
""",
        ["count_exact", "count_baselines"],
    ),
    "counting with the lags' cases in a different order in train and test": (
        "count_based_loss",
        COUNT_START
        + """
    def cases(x, order):
        code = np.zeros(len(x) - start, dtype=np.int64)
        for lag in order:
            code = 2 * code + np.asarray(x)[start - lag : len(x) - lag]
        return code

    train_cases = cases(x_train, lags)
    ones = np.bincount(train_cases, weights=np.asarray(y_train)[start:], minlength=num_cases)
    totals = np.bincount(train_cases, minlength=num_cases)
    fraction = np.where(totals > 0, ones / np.maximum(totals, 1), 0.5)
    p_one = np.clip(fraction, 1e-6, 1 - 1e-6)[cases(x_test, sorted(lags, reverse=True))]
    target = np.asarray(y_test)[start:]
    return float(np.mean(-(target * np.log(p_one) + (1 - target) * np.log(1 - p_one))))
""",
        ["count_exact", "count_baselines"],
    ),
}
