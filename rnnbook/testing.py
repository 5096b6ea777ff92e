"""Helpers for the graded tests of the assignments.

Later parts of an assignment often call functions from earlier parts. To grade each
part on its own (a mistake costs its points once, not again in every part that uses
it), a test can run with the course's reference version in place of the student's.
"""

import ast
import contextlib
import inspect
import textwrap


@contextlib.contextmanager
def substitute(namespace, **replacements):
    """Within the block, namespace[name] is replacements[name]; afterwards, as before.

    Used in a notebook as ``with substitute(globals(), binary_entropy=reference): ...``.
    """
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    # When grading, a name of the student's is a stand-in for their function in another
    # interpreter: their code there must see the replacement too.
    remote = [saved[name] for name in replacements if hasattr(saved[name], "student_sources")]
    for stand_in in remote:
        stand_in.substitute(replacements[stand_in.__name__])
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
        for stand_in in remote:
            stand_in.restore()


# Calls that run a Python loop for you.
_LOOP_CALLS = {"range", "map", "reduce", "accumulate", "starmap"}


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from _code_objects(const)


def _notebook_function(target):
    return callable(target) and getattr(target, "__module__", None) == "__main__" \
        and hasattr(target, "__code__")


def _reachable(fn):
    """The code of fn and of every function of the notebook (module __main__) it
    refers to by name, nested functions included.

    fn is a function, or a grader's stand-in for one (it has `student_sources`, the
    notebook's solution code): then the functions are found by compiling that code,
    which is never run here."""
    if hasattr(fn, "student_sources"):
        defined = _compiled_functions(fn.student_sources)

        def lookup(name):
            return defined.get(name)

        start = defined.get(fn.__name__)
    else:
        namespace = getattr(fn, "__globals__", {})

        def lookup(name):
            target = namespace.get(name)
            return target.__code__ if _notebook_function(target) else None

        start = fn.__code__
    seen, todo = {}, [start]
    while todo:
        code = todo.pop()
        if code is None or id(code) in seen:
            continue
        for c in _code_objects(code):
            seen[id(c)] = c
            todo += [lookup(name) for name in c.co_names]
    return list(seen.values())


def _compiled_functions(sources):
    """{name: code object} of the functions defined at the top level of the sources."""
    functions = {}
    for source in sources:
        try:
            module = compile(source, "<solution cell>", "exec", dont_inherit=True)
        except SyntaxError:
            continue
        for const in module.co_consts:
            if hasattr(const, "co_code") and const.co_name.isidentifier():
                functions[const.co_name] = const
    return functions


def _bindings(name, sources):
    """(defs, others): how many times the sources define name with a top-level def, and
    the other statements that bind it (assignment, import, class, for, global, ...)."""
    defs, others = 0, []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef) and statement.name == name:
                defs += 1
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and node.id == name and isinstance(
                        node.ctx, ast.Store | ast.Del) and not _inside_function(statement, node):
                    others.append("an assignment")
                elif isinstance(node, ast.alias) and (node.asname or node.name) == name:
                    others.append("an import")
                elif isinstance(node, ast.Global) and name in node.names:
                    others.append("a global statement")
                elif isinstance(node, ast.ClassDef | ast.AsyncFunctionDef) and \
                        node.name == name and node is statement:
                    others.append("a class or async def")
    return defs, others


def _inside_function(statement, target):
    for node in ast.walk(statement):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            if any(inner is target for inner in ast.walk(node)):
                return True
    return False


def names_used(fn):
    """Every global and attribute name that fn, its nested functions and the notebook
    functions it calls refer to (`tf.scan` gives "tf" and "scan")."""
    return {name for c in _reachable(fn) for name in c.co_names}


def has_python_loop(fn):
    """True if fn (or a notebook function it calls) loops in Python."""
    import dis

    for c in _reachable(fn):
        # A Python loop, `for`, `while` or a comprehension, is a jump backwards in
        # the bytecode, whatever the opcode's name in this Python version.
        for i in dis.get_instructions(c):
            if i.opname == "FOR_ITER" or (
                    i.opcode in dis.hasjabs + dis.hasjrel and isinstance(i.argval, int)
                    and i.argval <= i.offset):
                return True
    return bool(names_used(fn) & _LOOP_CALLS)


def check_rules(fn, forbid=(), require=(), no_python_loop=False):
    """Assert that fn keeps an assignment's rules; the message says which one it broke.

    Every graded function must be written in the notebook (not imported, from rnnbook
    or elsewhere); `forbid` names it must not use, `require` names it must use.

    When grading, fn is the grader's stand-in for the student's function, and the rules
    are read from the solution cells' code in the grader's own interpreter: the name
    must be defined by exactly one top-level def and bound in no other way.
    """
    name = getattr(fn, "__name__", repr(fn))
    if hasattr(fn, "student_sources"):
        defs, others = _bindings(name, fn.student_sources)
        assert defs == 1 and not others, (
            f"{name} must be a function written in this notebook, with one def "
            f"(found {defs} defs{', and ' + ', '.join(sorted(set(others))) if others else ''})")
    else:
        assert _notebook_function(fn), (
            f"{name} must be a function written in this notebook, not imported")
    used = names_used(fn)
    assert "rnnbook" not in used, f"{name} must not use the course package rnnbook"
    broken = sorted(used & set(forbid))
    assert not broken, f"{name} must not use {', '.join(broken)} (see the rules above)"
    missing = sorted(set(require) - used)
    assert not missing, f"{name} must use {', '.join(missing)} (see the rules above)"
    if no_python_loop:
        assert not has_python_loop(fn), f"{name} must not loop in Python (see the rules above)"


def _function_trees(fn):
    """The syntax trees of fn's def and of the notebook functions it calls by name.

    For a grader's stand-in, read from the solution cells' code (never run here); for a
    function of this kernel, from its source (a notebook cell's, which IPython keeps)."""
    if hasattr(fn, "student_sources"):
        defs = {}
        for source in fn.student_sources:
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            defs.update({node.name: node for node in tree.body
                         if isinstance(node, ast.FunctionDef)})

        def lookup(name):
            return defs.get(name)
    else:
        namespace = getattr(getattr(fn, "python_function", fn), "__globals__", {})

        def lookup(name):
            target = namespace.get(name) if name != fn.__name__ else fn
            target = getattr(target, "python_function", target)  # under @tf.function
            if not _notebook_function(target):
                return None
            try:
                tree = ast.parse(textwrap.dedent(inspect.getsource(target)))
            except (OSError, TypeError, SyntaxError):
                return None
            return next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)

    found, todo = {}, [fn.__name__]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found[name] = tree = lookup(name)
        if tree is not None:
            todo += [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                     and isinstance(n.ctx, ast.Load)]
    return [tree for tree in found.values() if tree is not None]


def _calls_tf(node, name):
    """True if node is a call of `tf.<name>` (TensorFlow under the notebook's name tf)."""
    func = node.func if isinstance(node, ast.Call) else None
    return isinstance(func, ast.Attribute) and func.attr == name and isinstance(
        func.value, ast.Name) and func.value.id == "tf"


def _tf_is_tensorflow(fn):
    """True unless the student's code binds the name tf itself (a class of their own
    with a `range` method would then pass for TensorFlow)."""
    if hasattr(fn, "student_sources"):
        defs, others = _bindings("tf", fn.student_sources)
        return not defs and not others
    namespace = getattr(getattr(fn, "python_function", fn), "__globals__", {})
    return getattr(namespace.get("tf"), "__name__", None) == "tensorflow"


def loops_in_graph(fn):
    """(True, "") if fn loops only in ways a traced graph holds once, else (False, why).

    Read from the code (not by tracing it, which the grader does not do to a student's
    function): every `for` iterates over `tf.range(...)` (tf being TensorFlow, not a name
    the student's code binds), which AutoGraph turns into a
    tf.while_loop inside a tf.function, and there is no `while` statement and no
    comprehension (loops in Python over a number, which a trace unrolls: the graph then
    grows with the steps). A call of tf.while_loop is a loop the graph holds once too;
    fn must have one of the two."""
    trees = _function_trees(fn)
    if not trees:
        return False, f"the code of {fn.__name__} could not be read"
    if not _tf_is_tensorflow(fn):
        return False, "the notebook's own code binds the name tf"
    dynamic = False
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.For | ast.AsyncFor):
                if not _calls_tf(node.iter, "range"):
                    return False, f"a Python loop over {ast.unparse(node.iter)}"
                dynamic = True
            elif isinstance(node, ast.While):
                return False, "a Python while statement"
            elif isinstance(node, ast.comprehension):
                return False, f"a comprehension over {ast.unparse(node.iter)}"
            elif _calls_tf(node, "while_loop"):
                dynamic = True
    return (True, "") if dynamic else (False, "no loop over tf.range and no tf.while_loop")
