"""Execute the book's chapters on every core, into Jupyter Book's execution cache.

    python -m ci.execute_book        (the first step of `make book`)

Jupyter Book (myst-nb, execution mode "cache") executes the notebooks it has no cached
execution for one after another. This fills the same cache (`_build/.jupyter_cache`)
with jupyter-cache's parallel executor first, one notebook per core, so the build that
follows finds every chapter executed and only renders. A notebook that fails here is
reported and left out of the cache; the build then executes it again and fails on the
same error with its traceback, so nothing is hidden.
"""

import logging
import multiprocessing
import os
import sys
import time
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors.base import ExecutorRunResult
from jupyter_cache.executors.basic import JupyterExecutorLocalMproc, ProcessData

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def chapters():
    """The notebooks of the table of contents, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc.get("parts", []) for entry in part["chapters"]]
    return [ROOT / f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").exists()]


# The executor takes notebooks in the order they were added to the cache's project.
# Longest first, so that the last one to finish is a short one and both cores stay busy
# to the end (execution seconds with two at a time, measured 2026-12-03: 237, 217, 156,
# 131, 74, 54 and 35 s; only the order matters, and a chapter not listed goes last, in
# reading order).
LONGEST_FIRST = ["ch09_seq2seq", "ch08_shakespeare", "ch05_lstm", "ch07_dropout",
                 "ch06_multilayer", "ch03_vanilla_rnn", "ch04_static_dynamic"]


class OneAtATimePerCore(JupyterExecutorLocalMproc):
    """The "local-parallel" executor of jupyter-cache (1.0.1, pinned), handing each
    core one notebook at a time: its Pool.map hands out pairs, so one core could be
    left with two long chapters while the other idles."""

    def run_and_cache(self, *, timeout=30, allow_errors=False, **_):
        records = self.get_records(None, None, clear_tracebacks=True)
        jobs = [ProcessData(r.pk, r.uri, self.cache, timeout, allow_errors) for r in records]
        with multiprocessing.Pool() as pool:
            results = pool.map(self._EXECUTION_WORKER(), jobs, chunksize=1)
        return ExecutorRunResult(
            succeeded=[uri for code, uri in results if code == 0],
            excepted=[uri for code, uri in results if code == 1],
            errored=[uri for code, uri in results if code == 2],
        )


def execution_order(paths):
    def rank(path):
        return (LONGEST_FIRST.index(path.stem) if path.stem in LONGEST_FIRST
                else len(LONGEST_FIRST))

    return sorted(paths, key=rank)  # stable: the others keep reading order


def main():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cache = get_cache(str(CACHE))
    for path in execution_order(chapters()):
        cache.add_nb_to_project(str(path))
    stale = cache.list_unexecuted()
    if not stale:
        print("every chapter has a cached execution")
        return 0
    print(f"executing {len(stale)} chapters on {os.cpu_count()} cores")
    start = time.perf_counter()
    logger = logging.getLogger("execute_book")
    logging.basicConfig(level=logging.WARNING)
    executor = OneAtATimePerCore(cache, logger=logger)
    result = executor.run_and_cache(timeout=config["timeout"], allow_errors=False)
    seconds = {r.uri: r.data.get("execution_seconds") for r in cache.list_cache_records()}
    for uri in result.succeeded:
        took = seconds.get(uri)
        took = f"{took:6.1f} s" if isinstance(took, (int, float)) else "      ?"
        print(f"  executed {Path(uri).relative_to(ROOT)}  {took}")
    for uri in result.excepted + result.errored:
        print(f"  FAILED {Path(uri).relative_to(ROOT)} (the book build will show why)")
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
