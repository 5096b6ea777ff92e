"""Every function a chapter marks `# @save` is the same code as in the rnnbook package.

Chapters teach by writing code out; later chapters import it from rnnbook. This test
keeps the two copies one: change a function in a chapter and the package must follow.
"""

import ast
import inspect
from pathlib import Path

import nbformat
import pytest

import rnnbook

BOOK = Path(__file__).resolve().parents[1] / "book"


def saved_functions():
    for path in sorted(BOOK.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith("# @save"):
                for node in ast.parse(cell.source).body:
                    if isinstance(node, ast.FunctionDef | ast.ClassDef):
                        yield pytest.param(path.name, node, id=f"{path.stem}:{node.name}")


def normalised(node):
    node.returns = None  # a return annotation may differ; the code may not
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def test_chapters_save_something():
    assert list(saved_functions()), "no `# @save` cells found in book/"


@pytest.mark.parametrize(("chapter", "node"), saved_functions())
def test_chapter_function_matches_package(chapter, node):
    assert hasattr(rnnbook, node.name), f"{chapter} saves {node.name}, which rnnbook lacks"
    package_node = ast.parse(inspect.getsource(getattr(rnnbook, node.name))).body[0]
    assert normalised(node) == normalised(package_node), (
        f"{node.name} in {chapter} differs from rnnbook: copy the chapter's version over")
