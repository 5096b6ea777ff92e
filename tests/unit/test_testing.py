"""The helper that lets a graded test use a reference function in place of a student's."""

import pytest

from rnnbook.testing import check_rules, loops_in_graph, substitute


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


class _StandIn:
    """What the grader's trusted interpreter holds for a student's function."""

    def __init__(self, name, *sources):
        self.__name__, self.student_sources = name, list(sources)


DYNAMIC = ("@tf.function\ndef f(cell, x, s):\n    for t in tf.range(tf.shape(x)[1]):\n"
           "        s = cell(x[:, t], s)\n    return s")


@pytest.mark.parametrize("source, why", [
    (DYNAMIC, ""),
    ("def f(cell, x, s):\n    return tf.while_loop(lambda t, s: t < 3, body, (0, s))", ""),
    ("def helper(x, s):\n    return tf.while_loop(c, b, (x, s))\n\n"
     "def f(cell, x, s):\n    return helper(x, s)", ""),
    ("def f(cell, x, s):\n    for t in range(x.shape[1]):\n        s = cell(x[:, t], s)\n"
     "    return s", "a Python loop over range(x.shape[1])"),
    ("def f(cell, x, s):\n    return [cell(x[:, t], s) for t in range(3)]",
     "a comprehension over range(3)"),
    ("def f(cell, x, s):\n    while s:\n        s = cell(x, s)\n    return s",
     "a Python while statement"),
    ("def f(cell, x, s):\n    return cell(x, s)", "no loop over tf.range"),
    ("class Steps:\n    def range(self, n):\n        return list(range(n))\n\n"
     "def f(cell, x, s):\n    for t in Steps().range(3):\n        s = cell(x, s)\n    return s",
     "a Python loop over Steps().range(3)"),
    ("def f(cell, x, s):\n    return helper.while_loop(c, b, (x, s))", "no loop over tf.range"),
    ("def helper(x):\n    return [v for v in x]\n\n"
     + DYNAMIC.replace("return s", "return helper(s)"), "a comprehension over x"),
])
def test_loops_in_graph_reads_the_code(source, why):
    dynamic, reason = loops_in_graph(_StandIn("f", source))
    assert dynamic == (why == "") and reason.startswith(why), reason


def test_loops_in_graph_refuses_a_tf_of_the_students_own():
    fake = "class tf:\n    @staticmethod\n    def range(n):\n        return list(range(n))\n\n"
    assert loops_in_graph(_StandIn("f", fake, DYNAMIC)) == (
        False, "the notebook's own code binds the name tf")


def test_loops_in_graph_reads_a_kernel_function_under_tf_function(tmp_path, monkeypatch):
    import importlib
    import sys

    (tmp_path / "cell.py").write_text("import tensorflow as tf\n\n\n" + DYNAMIC + "\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("cell")
    module.f.python_function.__module__ = "__main__"  # as a notebook cell defines it
    try:
        assert loops_in_graph(module.f) == (True, "")
    finally:
        sys.modules.pop("cell", None)
