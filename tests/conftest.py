"""Shared by every test: where the repository is, and the course's wrong answers."""

import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wrong_answers(assignment):
    """{description: (grade_id, source, [test cells it must fail])} of an assignment,
    from tests/assignments/wrong_answers/<assignment>.py."""
    return importlib.import_module(f"tests.assignments.wrong_answers.{assignment}").WRONG_ANSWERS


def pytest_collection_modifyitems(items):
    """Mark by folder: tests/book/browser is `browser` and `built`; the grader and
    wrong-answer runs, which execute notebooks in sandboxed kernels, are `slow`.
    `make check` skips `slow` and `built`."""
    import pytest

    for item in items:
        path = Path(str(item.fspath)).relative_to(ROOT).as_posix()
        if path.startswith("tests/book/browser/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.built)
        if path.startswith(("tests/grader/test_grade_class", "tests/assignments/test_wrong")):
            item.add_marker(pytest.mark.slow)
