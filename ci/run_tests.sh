#!/usr/bin/env bash
# Everything CI checks, in the order that fails fastest. Called by `make test`, which
# has already created .venv; the same script runs on the CPU and the GPU runner.
# Prints each step's time at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python

times=()
last_step=""
step_start=$SECONDS
start=$SECONDS
step() {
    if [ -n "$last_step" ]; then times+=("$(printf '%6d s  %s' $((SECONDS - step_start)) "$last_step")"); fi
    last_step="$*"
    step_start=$SECONDS
    printf '\n=== %s\n' "$*"
}

step "the quick checks (make check): ruff, clean notebooks, unit tests, book/package agreement, quizzes, exercises up to date"
make --no-print-directory check

step "graded tests can fail (wrong answers of every assignment), a hostile class graded in the sandbox (make test-grading)"
make --no-print-directory test-grading

step "every solution notebook runs top to bottom (make test-notebooks)"
make --no-print-directory test-notebooks

step "the chapters execute (once) and the book builds with warnings as errors (make book)"
make --no-print-directory book

step "checked outputs against that execution; the book in a real browser: pages, figures, launch buttons, quizzes, search (make test-book)"
make --no-print-directory test-book

step "done"
printf '\nTime per step:\n'
printf '%s\n' "${times[@]}"
printf '\nAll checks passed in %d s.\n' $((SECONDS - start))
