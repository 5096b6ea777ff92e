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
