"""Notebooks are committed clean: no outputs but the ones nbval checks."""

import pytest

from ci import notebook_outputs


@pytest.mark.parametrize("path", notebook_outputs.notebooks(), ids=lambda p: p.name)
def test_notebook_is_clean(path):
    assert not notebook_outputs.problems(path), (
        f"{path.name} is not clean: {notebook_outputs.problems(path)}; "
        "run `make outputs` (or clear the outputs) and commit")
