"""Every chapter's quiz block parses and has at least three questions."""

import ast

import nbformat

from rnnbook import quiz
from tests.conftest import ROOT


def test_every_chapter_quiz_parses():
    found = 0
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and "quiz.show(" in cell.source:
                call = ast.parse(cell.source).body[0].value
                questions = quiz.parse(ast.literal_eval(call.args[0]))
                assert len(questions) >= 3, f"{path.name}: a chapter needs at least 3 questions"
                found += 1
    assert found >= 2
