"""A submission as two notebooks: the student's interpreter and the trusted one.

The student's notebook (run in the sandbox) holds the instructor's context cells and the
student's solution cells, after a first cell that starts the wire protocol's server
(grading.wire, sent as its source text). The trusted notebook (run outside) holds the
instructor's context cells and test cells; in place of each solution cell, a cell that
makes stand-ins for the names the instructor's solution defines (grading.bridge).
Neither a test cell nor a hidden test is ever part of the student's notebook.
"""

import ast
import json
from pathlib import Path

import nbformat

from grading import course

STUDENT_PRELUDE = """\
import types as _rnn_types
_rnn_wire = _rnn_types.ModuleType("rnn_grader_wire")
exec(compile({source!r}, "rnn_grader_wire", "exec"), _rnn_wire.__dict__)
__rnn_grader__ = _rnn_wire.Server(globals())
del _rnn_types, _rnn_wire
"""
TRUSTED_PRELUDE = """\
from grading.bridge import Bridge as _RnnBridge
__rnn_bridge__ = _RnnBridge({settings!r})
del _RnnBridge
"""
CLOSE = "__rnn_bridge__.close()"
DEFINE = "__rnn_bridge__.define(globals(), {functions!r}, {values!r})"


def defined_names(source):
    """(functions, values): the names a cell binds at its top level, by def or class,
    and otherwise (assignment, import)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], []
    functions, values = [], []
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            functions.append(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [
                statement.target]
            values += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            values += [(a.asname or a.name).split(".")[0] for a in statement.names]
    functions = list(dict.fromkeys(functions))
    return functions, [v for v in dict.fromkeys(values) if v not in functions]


def student_prelude():
    source = (Path(__file__).with_name("wire.py")).read_text()
    return nbformat.v4.new_code_cell(STUDENT_PRELUDE.format(source=source))


def split(rebuilt, assignment, code, settings_path, connection_file, transcript=None):
    """(student notebook, trusted notebook) from a rebuilt submission; writes the
    bridge's settings (the student's connection file and solution code) to
    settings_path."""
    instructor = course.solution_sources(assignment)
    socket = Path(connection_file).with_name("grader.sock")
    settings = {"connection_file": str(connection_file), "socket": str(socket), "sources": code,
                "transcript": str(transcript) if transcript else None}
    Path(settings_path).write_text(json.dumps(settings))
    student = nbformat.v4.new_notebook(metadata=rebuilt.metadata)
    trusted = nbformat.v4.new_notebook(metadata=rebuilt.metadata)
    student.cells.append(student_prelude())
    trusted.cells.append(nbformat.v4.new_code_cell(
        TRUSTED_PRELUDE.format(settings=str(settings_path))))
    for cell in rebuilt.cells:
        info = course.nbgrader_info(cell)
        if course.is_test(cell):
            trusted.cells.append(cell)
        elif info.get("solution"):
            student.cells.append(cell)
            functions, values = defined_names(instructor.get(info["grade_id"], ""))
            trusted.cells.append(nbformat.v4.new_code_cell(
                DEFINE.format(functions=functions, values=values)))
        else:
            student.cells.append(cell)
            trusted.cells.append(nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata))
    trusted.cells.append(nbformat.v4.new_code_cell(CLOSE))
    return student, trusted
