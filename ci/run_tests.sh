#!/usr/bin/env bash
# Everything CI checks, in the order that fails fastest. Called by `make test`, which
# has already created .venv; the same script runs on the CPU and the GPU runner.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

step() { printf '\n=== %s\n' "$*"; }
start=$SECONDS

step "ruff (package, tests, notebooks)"
.venv/bin/ruff check .

step "notebooks are committed clean (only checked outputs kept)"
$py -m ci.notebook_outputs check

step "bubblewrap, the sandbox that graded student code runs in (Debian's package)"
bash ci/install_sandbox.sh

step "unit tests, book/package agreement, exercises up to date, graded tests can fail, a hostile class graded in the sandbox"
$py -m pytest tests --ignore=tests/browser

step "every notebook in book/ and solutions/ runs top to bottom (nbval)"
$py -m pytest --nbval-lax --nbval-cell-timeout=900 book solutions

step "the book builds with warnings as errors"
make --no-print-directory book

step "Chromium for the browser tests (Debian's package; set CHROMIUM=/path to use another)"
if [ -z "${CHROMIUM:-}" ] && ! command -v chromium >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi

step "the built book in a real browser: pages, figures, launch buttons, quizzes, search"
$py -m pytest tests/browser

printf '\nAll checks passed in %d s.\n' $((SECONDS - start))
