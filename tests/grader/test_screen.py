"""The tamper screen flags what could change how tests run, and nothing in honest code;
the check cells catch a kernel that makes failing cells pass."""

import nbformat
import pytest

from grading import course, screen
from grading.scoring import score
from grading.submission import add_check_cells
from tests.conftest import wrong_answers


@pytest.mark.parametrize("assignment", course.assignments())
def test_solutions_and_wrong_answers_are_not_flagged(assignment):
    modules = screen.module_names(course.source_notebook(assignment))
    sources = list(course.solution_sources(assignment).values())
    sources += [source for _, source, _ in wrong_answers(assignment).values()]
    flagged = {source[:60]: screen.screen(source, modules) for source in sources}
    assert not {k: v for k, v in flagged.items() if v}


@pytest.mark.parametrize("code, word", [
    ("get_ipython().events.register('pre_run_cell', f)", "get_ipython"),
    ("np.testing.assert_allclose = lambda *a, **k: None", "np.testing.assert_allclose"),
    ("from numpy import testing as t\nt.assert_allclose = print", "t.assert_allclose"),
    ("np = FakeNumpy()", "rebinds np"),
    ("import builtins", "imports builtins"),
    ("import IPython", "imports IPython"),
    ("from rnnbook.data import echo_series", "imports rnnbook.data"),
    ("x = rnnbook.binary_entropy", "uses rnnbook"),
    ("f = ().__class__.__base__.__subclasses__()", "__subclasses__"),
    ("setattr(np, 'array_equal', any)", "uses setattr"),
    ("exec('1')", "uses exec"),
    ("def f():\n    global np\n    np = None", "declares global"),
    ("from . import x", "imports ."),
])
def test_tampering_is_flagged(code, word):
    reasons = screen.screen(code, {"np", "tf"})
    assert any(word in reason for reason in reasons), reasons


@pytest.mark.parametrize("assignment", [a for a in course.assignments()
                                        if course.two_interpreters(a)])
def test_two_interpreter_screens_pass_honest_code(assignment):
    modules = screen.module_names(course.source_notebook(assignment))
    sources = list(course.solution_sources(assignment).values())
    sources += [source for _, source, _ in wrong_answers(assignment).values()]
    assert not [s[:60] for s in sources if screen.screen(s, modules, two_interpreters=True)]


@pytest.mark.parametrize("code, flagged", [
    ("get_ipython().events.register('pre_run_cell', f)", False),  # the tests are elsewhere
    ("np.testing.assert_allclose = lambda *a, **k: None", False),
    ("with open('notes.txt') as f:\n    pass", False),
    ("f = getattr(tf, 'sc' + 'an')", True),  # would hide tf.scan from check_rules
    ("f = globals()['batch_windows']", True),
    ("f = vars(np)['array_equal']", True),
    ("m = np._typing.sys.modules['rnnbook']", True),
    ("import importlib", True),
    ("eval('tf.scan')", True),
    ("f = tf.__dict__['scan']", True),
])
def test_with_two_interpreters_only_hidden_names_are_flagged(code, flagged):
    assert bool(screen.screen(code, {"np", "tf"}, two_interpreters=True)) == flagged


def test_a_local_name_like_a_library_is_fine():
    assert screen.screen("def f(np):\n    np.x = 1\n    return np", {"np"}) == \
        ["changes np.x, part of a library"]  # conservative: reviewed, not penalised silently
    assert screen.screen("def f(state):\n    state.x = 1", {"np"}) == []


def _executed(check_fails):
    nb = nbformat.v4.new_notebook()
    test = nbformat.v4.new_code_cell("assert True")
    test.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 2, "solution": False}
    nb.cells = [test]
    checks = add_check_cells(nb)
    (index, token), = checks.items()
    nb.cells[0].execution_count = 1
    if check_fails:
        nb.cells[index].outputs = [nbformat.v4.new_output(
            "error", ename="AssertionError", evalue=token, traceback=[])]
    return nb, checks


def test_a_check_cell_that_passes_means_review():
    nb, checks = _executed(check_fails=False)
    results, review = score(nb, checks, problem=None)
    assert results[0]["score"] == 2 and review


def test_check_cells_that_fail_mean_no_review():
    nb, checks = _executed(check_fails=True)
    results, review = score(nb, checks, problem=None)
    assert results[0]["score"] == 2 and not review
