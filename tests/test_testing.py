"""The helper that lets a graded test use a reference function in place of a student's."""

import pytest

from rnnbook.testing import substitute


def test_substitute_replaces_and_restores():
    namespace = {"f": "student", "g": 1}
    with substitute(namespace, f="reference", h="new"):
        assert namespace == {"f": "reference", "g": 1, "h": "new"}
    assert namespace == {"f": "student", "g": 1}


def test_substitute_restores_after_a_failing_test():
    namespace = {"f": "student"}
    with pytest.raises(AssertionError), substitute(namespace, f="reference"):
        raise AssertionError
    assert namespace == {"f": "student"}
