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
import os
import sys
import time
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def chapters():
    """The notebooks of the table of contents, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc.get("parts", []) for entry in part["chapters"]]
    return [ROOT / f"{name}.ipynb" for name in files if (ROOT / f"{name}.ipynb").exists()]


def main():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    cache = get_cache(str(CACHE))
    for path in chapters():
        cache.add_nb_to_project(str(path))
    stale = cache.list_unexecuted()
    if not stale:
        print("every chapter has a cached execution")
        return 0
    print(f"executing {len(stale)} chapters on {os.cpu_count()} cores")
    start = time.perf_counter()
    logger = logging.getLogger("execute_book")
    logging.basicConfig(level=logging.WARNING)
    executor = load_executor("local-parallel", cache, logger=logger)
    result = executor.run_and_cache(timeout=config["timeout"], allow_errors=False)
    for uri in result.succeeded:
        print(f"  executed {Path(uri).relative_to(ROOT)}")
    for uri in result.excepted + result.errored:
        print(f"  FAILED {Path(uri).relative_to(ROOT)} (the book build will show why)")
    print(f"{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
