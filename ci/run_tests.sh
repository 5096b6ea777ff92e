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

step "every solution notebook runs top to bottom (make test-notebooks)"
make --no-print-directory test-notebooks

step "the chapters execute (once) and the book builds with warnings as errors (make book)"
make --no-print-directory book

# The browser tests mostly wait for pages, so they run beside the grading tests, which
# keep both cores busy. Both installers go first: two apt-get runs at once would fight
# over apt's lock.
step "graded tests can fail (wrong answers of every assignment), a hostile class graded in the sandbox (make test-grading); beside it, checked outputs against the book's execution and the book in a real browser (make test-book)"
bash ci/install_sandbox.sh
bash ci/install_chromium.sh
mkdir -p _build
book_log=_build/test-book.log
(
    book_start=$SECONDS
    status=0
    make --no-print-directory test-book > "$book_log" 2>&1 || status=$?
    printf '%d %d\n' "$status" $((SECONDS - book_start)) > "$book_log.status"
) &
book_tests=$!
grading_status=0
make --no-print-directory test-grading || grading_status=$?
wait "$book_tests"
read -r book_status book_seconds < "$book_log.status"
printf '\n--- make test-book (ran beside the grading tests, %d s), its output:\n' "$book_seconds"
cat "$book_log"
if [ "$grading_status" -ne 0 ] || [ "$book_status" -ne 0 ]; then
    printf '\nFAILED: make test-grading exited %d, make test-book %d\n' "$grading_status" "$book_status"
    exit 1
fi

step "done"
printf '\nTime per step:\n'
printf '%s\n' "${times[@]}"
printf '\nAll checks passed in %d s.\n' $((SECONDS - start))
