"""The helper that lets a graded test use a reference function in place of a student's."""

import pytest

from rnnbook.testing import check_rules, substitute


def test_substitute_replaces_and_restores():
    namespace = {"f": "student", "g": 1}
    with substitute(namespace, f="reference", h="new"):
        assert namespace == {"f": "reference", "g": 1, "h": "new"}
    assert namespace == {"f": "student", "g": 1}


def test_substitute_restores_after_a_failing_test():
    namespace = {"f": "student"}
    with pytest.raises(AssertionError), substitute(namespace, f="reference"):
        raise AssertionError
    assert namespace == {"f": "student"}


def _notebook_function(source, name, **namespace):
    """A function defined as a notebook cell defines it (module __main__)."""
    namespace["__name__"] = "__main__"
    exec(source, namespace)  # noqa: S102 - test input, written here
    return namespace[name]


def test_check_rules_accepts_a_scan_without_loops():
    import tensorflow as tf

    scan = _notebook_function(
        "def unroll(cell, x, s):\n    return tf.scan(lambda a, b: cell(b, a), x, s)",
        "unroll", tf=tf)
    check_rules(scan, require={"scan"}, forbid={"reference"}, no_python_loop=True)


@pytest.mark.parametrize("source, message", [
    ("def f(x):\n    return [v for v in x]", "must not loop"),
    ("def f(x):\n    while x:\n        x -= 1\n    return x", "must not loop"),
    ("def f(x):\n    return list(map(abs, x))", "must not loop"),
    ("def helper(x):\n    for v in x:\n        pass\n\ndef f(x):\n    return helper(x)",
     "must not loop"),
    ("def f(x):\n    return reference(x)", "must not use reference"),
    ("def f(x):\n    return tf.nn.dropout(x, 0.5)", "must not use tf"),
    ("def f(x):\n    return rnnbook.data.echo_series(x)", "rnnbook"),
    ("def f(x):\n    return x", "must use scan"),
])
def test_check_rules_names_the_rule_broken(source, message):
    fn = _notebook_function(source, "f")
    with pytest.raises(AssertionError, match=message):
        check_rules(fn, require={"scan"} if "must use" in message else (),
                    forbid={"reference", "tf"}, no_python_loop="loop" in message)


def test_check_rules_rejects_an_imported_function():
    from rnnbook.data import echo_series

    with pytest.raises(AssertionError, match="written in this notebook"):
        check_rules(echo_series)
