"""A static screen of the student's code for ways to change how the tests run.

Student code runs in the same Python process as the tests that grade it, so it could
replace the functions the tests call (``np.testing.assert_allclose = ...``), hook into
IPython so that later cells run differently (``get_ipython().events.register(...)``),
or reach the interpreter's internals. None of this is needed to answer any assignment
of the course, so the screen flags every construct that could do it, and a flagged
submission is marked "needs review" instead of being given the points it observed.

The screen is deliberately broad (it flags, it does not judge); what it guarantees and
what it does not is written down in the instructor's guide.
"""

import ast

# What solution code may import: the libraries the assignments are about.
ALLOWED_IMPORTS = {
    "numpy", "tensorflow", "keras", "math", "cmath", "itertools", "functools",
    "collections", "typing", "dataclasses", "operator", "statistics", "string", "re",
    "matplotlib", "warnings",
}
# Names that reach the interpreter, IPython, the file system or code as text.
FLAGGED_NAMES = {
    "get_ipython", "exec", "eval", "compile", "__import__", "globals", "locals", "vars",
    "setattr", "delattr", "getattr", "open", "breakpoint", "input", "memoryview",
    "__builtins__", "__builtin__", "builtins", "sys", "os", "rnnbook", "In", "Out",
    "_ih", "_oh", "exit", "quit", "help",
}
# Dunder attributes that ordinary code reads; any other is flagged.
ALLOWED_DUNDERS = {"__init__", "__call__", "__name__", "__len__", "__doc__", "__iter__",
                   "__next__", "__getitem__", "__repr__", "__str__", "__eq__"}


def _root_name(node):
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


# With the tests in a trusted interpreter (grading.interpreters), the student's code can
# no longer change how they run; what still matters is what the rules read in its source
# (check_rules: the names a function uses), and a dynamic look-up could hide a forbidden
# name from them. So only these are flagged, with the imports beyond the course's
# libraries and private parts of a library (np._typing.sys.modules["..."] reaches any
# module by a string).
DYNAMIC_NAMES = {"exec", "eval", "compile", "__import__", "globals", "locals", "vars",
                 "getattr", "__builtins__", "__builtin__", "builtins", "sys", "rnnbook",
                 "breakpoint"}


def screen(source, module_names, two_interpreters=False):
    """Reasons why source (one solution cell) needs review; [] when it looks ordinary.

    module_names: the names the notebook binds to modules (np, tf, keras, ...), whose
    attributes student code must not assign. two_interpreters: the tests do not run
    beside this code, so only what could hide a name from the rules is flagged.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # it will fail when run; nothing to review
    module_names = set(module_names) | _imported(tree)
    reasons = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or "."])
            for name in names:
                if name.split(".")[0] not in ALLOWED_IMPORTS or getattr(node, "level", 0):
                    reasons.append(f"imports {name}")
        elif isinstance(node, ast.Name) and node.id in (
                DYNAMIC_NAMES if two_interpreters else FLAGGED_NAMES):
            reasons.append(f"uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("__") and node.attr not in ALLOWED_DUNDERS:
                reasons.append(f"uses the attribute {node.attr}")
            elif node.attr.startswith("_") and _root_name(node) in module_names:
                reasons.append(f"uses {ast.unparse(node)}, a private part of a library")
            if isinstance(node.ctx, ast.Store | ast.Del) and _root_name(node) in module_names \
                    and not two_interpreters:
                reasons.append(f"changes {ast.unparse(node)}, part of a library")
        elif two_interpreters:
            continue
        elif isinstance(node, ast.Global | ast.Nonlocal):
            reasons.append(f"declares {type(node).__name__.lower()} "
                           f"{', '.join(node.names)}")
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del) \
                and node.id in module_names and _at_module_level(tree, node):
            reasons.append(f"rebinds {node.id}, a library the tests use")
    return sorted(set(reasons))


def _at_module_level(tree, target):
    """True when target is bound by a statement at the top level of the cell."""
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if any(node is target for node in ast.walk(statement)):
            return True
    return False


def _imported(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def module_names(nb):
    """Names bound to modules by the notebook's own (non-solution) cells."""
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.get("metadata", {}).get("nbgrader", {}).get(
                "solution"):
            continue
        try:
            names |= _imported(ast.parse(cell.source))
        except SyntaxError:
            continue
    return names
