"""Helpers for the graded tests of the assignments.

Later parts of an assignment often call functions from earlier parts. To grade each
part on its own (a mistake costs its points once, not again in every part that uses
it), a test can run with the course's reference version in place of the student's.
"""

import contextlib


@contextlib.contextmanager
def substitute(namespace, **replacements):
    """Within the block, namespace[name] is replacements[name]; afterwards, as before.

    Used in a notebook as ``with substitute(globals(), binary_entropy=reference): ...``.
    """
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


# Calls that run a Python loop for you.
_LOOP_CALLS = {"range", "map", "reduce", "accumulate", "starmap"}


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from _code_objects(const)


def _reachable(fn):
    """fn and every function of the notebook (module __main__) it refers to by name."""
    seen, todo = {}, [fn]
    while todo:
        f = todo.pop()
        code = getattr(f, "__code__", None)
        if code is None or id(f) in seen:
            continue
        seen[id(f)] = f
        for c in _code_objects(code):
            for name in c.co_names:
                target = getattr(f, "__globals__", {}).get(name)
                if callable(target) and getattr(target, "__module__", None) == "__main__":
                    todo.append(target)
    return list(seen.values())


def names_used(fn):
    """Every global and attribute name that fn, its nested functions and the notebook
    functions it calls refer to (`tf.scan` gives "tf" and "scan")."""
    return {name for f in _reachable(fn) for c in _code_objects(f.__code__)
            for name in c.co_names}


def has_python_loop(fn):
    """True if fn (or a notebook function it calls) loops in Python."""
    import dis

    for f in _reachable(fn):
        for c in _code_objects(f.__code__):
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
    """
    name = getattr(fn, "__name__", repr(fn))
    assert getattr(fn, "__module__", None) == "__main__" and hasattr(fn, "__code__"), (
        f"{name} must be a function written in this notebook, not imported")
    used = names_used(fn)
    assert "rnnbook" not in used, f"{name} must not use the course package rnnbook"
    broken = sorted(used & set(forbid))
    assert not broken, f"{name} must not use {', '.join(broken)} (see the rules above)"
    missing = sorted(set(require) - used)
    assert not missing, f"{name} must use {', '.join(missing)} (see the rules above)"
    if no_python_loop:
        assert not has_python_loop(fn), f"{name} must not loop in Python (see the rules above)"
