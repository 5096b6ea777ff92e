"""Docstrings in the chapters and the package read as prose: no line cut short in the
middle of a sentence (what re-wrapping code to the page's width once did to them, e.g.
"gate biases, 0 for" / "the others"). A short line may end a paragraph or a sentence;
one that runs on into the next line is a break in the wrong place."""

import ast

import nbformat

from tests.conftest import ROOT

SHORT = 40  # characters of text: the page is 75 wide, so a filled line is longer


def docstrings(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            text = ast.get_docstring(node, clean=True)
            if text:
                yield node.name, text


def sources():
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                try:
                    yield f"{path.stem} {cell.get('id')}", ast.parse(cell.source)
                except SyntaxError:  # IPython magics: not the package's code
                    continue
    for path in sorted((ROOT / "rnnbook").glob("*.py")):
        yield path.name, ast.parse(path.read_text())


def broken_lines(text):
    lines = text.split("\n")
    return [line for line, after in zip(lines, lines[1:])
            if 0 < len(line.strip()) < SHORT and after.strip()
            and not line.rstrip().endswith((".", ":", ";"))]


def test_no_docstring_line_is_cut_mid_sentence():
    problems = [f"{where} {name}: {line.strip()!r}" for where, tree in sources()
                for name, text in docstrings(tree) for line in broken_lines(text)]
    assert not problems, "refill these docstrings' paragraphs:\n" + "\n".join(problems)
