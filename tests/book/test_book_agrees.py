"""Everything a chapter marks `# @save` is the same code as in the rnnbook package.

Chapters teach by writing code out; later chapters import it from rnnbook. This test
keeps the two copies one: change a function (or a saved constant) in a chapter and the
package must follow.
"""

import ast

import nbformat
import pytest

from tests.conftest import ROOT


def definitions(tree):
    """Top-level functions, classes and simple assignments of a module, by name."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found[node.name] = node
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            for target in node.targets:
                found[target.id] = node
    return found


PACKAGE = {}
for module in sorted((ROOT / "rnnbook").glob("*.py")):
    PACKAGE.update(definitions(ast.parse(module.read_text())))


def saved_definitions():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.source.startswith("# @save"):
                for name, node in definitions(ast.parse(cell.source)).items():
                    yield pytest.param(path.name, name, node, id=f"{path.stem}:{name}")


def normalised(node):
    if isinstance(node, ast.FunctionDef):
        node.returns = None  # a return annotation may differ; the code may not
    for inner in ast.walk(node):
        # A docstring may be wrapped differently (the book's code is narrower than
        # the package's); its words may not differ.
        body = getattr(inner, "body", None)
        if (isinstance(inner, ast.FunctionDef | ast.ClassDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            body[0].value.value = " ".join(body[0].value.value.split())
    return ast.dump(node, annotate_fields=False, include_attributes=False)


def test_chapters_save_something():
    assert list(saved_definitions()), "no `# @save` cells found in book/"


@pytest.mark.parametrize(("chapter", "name", "node"), saved_definitions())
def test_chapter_code_matches_package(chapter, name, node):
    assert name in PACKAGE, f"{chapter} saves {name}, which rnnbook does not define"
    assert normalised(node) == normalised(PACKAGE[name]), (
        f"{name} in {chapter} differs from rnnbook: make them the same")
