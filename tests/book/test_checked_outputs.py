"""The outputs the book promises (cells tagged `nbval-check-output`) are the outputs
the book's own execution produced.

The chapters are executed once per CI run, by `make book` (Jupyter Book's execution
cache, `_build/.jupyter_cache`); this test reads that execution back and compares each
checked cell's outputs with the ones committed in the notebook, as `nbval --nbval-lax`
would (standard output, standard error left out, and the plain-text form of results),
instead of running TensorFlow a second time under nbval. Needs `make book` first.
"""

import nbformat
import pytest
from jupyter_cache import get_cache

from ci import notebook_outputs
from tests.conftest import ROOT

CACHE = ROOT / "_build" / ".jupyter_cache"
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
pytestmark = pytest.mark.built


def comparable(outputs):
    """What nbval-lax compares of a cell's outputs: streams (not stderr) and text/plain."""
    kept = []
    for output in outputs:
        if notebook_outputs.is_stderr(output):
            continue
        if output["output_type"] == "stream":
            # A kernel may split one cell's printing into several stream messages
            # (it flushes on a timer): compare the text, not how it was chunked.
            if kept and kept[-1][0] == "stream":
                kept[-1] = ("stream", kept[-1][1] + output["text"])
            else:
                kept.append(("stream", output["text"]))
        elif output["output_type"] in ("execute_result", "display_data"):
            kept.append(("result", output.get("data", {}).get("text/plain", "").rstrip()))
        elif output["output_type"] == "error":
            kept.append(("error", output["ename"]))
    return [(kind, text.rstrip()) for kind, text in kept]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_checked_outputs_match_the_books_execution(path):
    assert CACHE.is_dir(), "run `make book` first: it executes the chapters into its cache"
    committed = nbformat.read(path, as_version=4)
    checked = [i for i, c in enumerate(committed.cells) if notebook_outputs.keeps_output(c)]
    if not checked:
        pytest.skip("no checked outputs in this chapter")
    match = get_cache(str(CACHE)).match_cache_notebook(committed)  # raises if not executed
    executed = get_cache(str(CACHE)).get_cache_bundle(match.pk).nb
    code = [c for c in committed.cells if c.cell_type == "code"]
    ran = [c for c in executed.cells if c.cell_type == "code"]
    assert len(code) == len(ran), "the cached execution is of another version of the notebook"
    index_of = {id(c): k for k, c in enumerate(code)}
    problems = []
    for i in checked:
        want = comparable(committed.cells[i].outputs)
        got = comparable(ran[index_of[id(committed.cells[i])]].outputs)
        if want != got:
            problems.append(f"cell {i} ({committed.cells[i].source.splitlines()[1][:60]!r}):\n"
                            f"  committed {want}\n  executed  {got}")
    assert not problems, "checked outputs changed (run `make outputs` if that is right):\n" + \
        "\n".join(problems)
