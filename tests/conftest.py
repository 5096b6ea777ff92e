"""Shared by every test: where the repository is, and the course's wrong answers."""

import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wrong_answers(assignment):
    """{description: (grade_id, source, [test cells it must fail])} of an assignment,
    from tests/wrong_answers/<assignment>.py."""
    return importlib.import_module(f"tests.wrong_answers.{assignment}").WRONG_ANSWERS
