#!/usr/bin/env bash
# Everything CI checks, in the order that fails fastest. Called by `make test`, which
# has already created .venv; the same script runs on the CPU and the GPU runner.
# Prints each step's time at the end.
#
# The last two targets leave the cores partly idle (the browser tests wait for pages;
# the grader's own tests wait for time limits and lingering processes), so they run
# side by side, the grader's in the background; its output and time are printed after
# the browser tests, and either failing fails the run. Beside a step that keeps both
# cores busy (the book, the assignments) they only slowed it: measured 2026-11-30.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p _build

# Every step runs one TensorFlow process per core (the book's executor, nbval, the
# grading pool). TensorFlow's default, a thread pool over every core in each process,
# makes them fight: two chapters side by side ran 9% faster with one thread each.
export TF_NUM_INTRAOP_THREADS="${TF_NUM_INTRAOP_THREADS:-1}"
export TF_NUM_INTEROP_THREADS="${TF_NUM_INTEROP_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

times=()
failed=()
last_step=""
step_start=$SECONDS
start=$SECONDS
step() {
    if [ -n "$last_step" ]; then times+=("$(printf '%6d s  %s' $((SECONDS - step_start)) "$last_step")"); fi
    last_step="$*"
    step_start=$SECONDS
    printf '\n=== %s\n' "$*"
}

# beside TARGET: `make TARGET` in the background, its output in _build/TARGET.log.
beside() {
    local target=$1
    printf '(make %s runs beside this step; its output follows the step)\n' "$target"
    (
        begun=$SECONDS
        status=0
        make --no-print-directory "$target" > "_build/$target.log" 2>&1 || status=$?
        printf '%d %d\n' "$status" $((SECONDS - begun)) > "_build/$target.status"
    ) &
    beside_pid=$!
    beside_target=$target
}

# joined: wait for the target started by `beside`, print its output and time.
joined() {
    wait "$beside_pid" || true
    local status seconds
    read -r status seconds < "_build/$beside_target.status"
    printf '\n--- make %s (ran beside the step above, %d s), its output:\n' "$beside_target" "$seconds"
    cat "_build/$beside_target.log"
    times+=("$(printf '%6d s  (beside) make %s' "$seconds" "$beside_target")")
    if [ "$status" -ne 0 ]; then failed+=("make $beside_target exited $status"); fi
}

# Debian's bubblewrap and Chromium, when missing: fetched while the quick checks run.
# Both in one job, one after the other: two apt-get runs would fight over apt's lock.
( bash ci/install_sandbox.sh && bash ci/install_chromium.sh ) > _build/install.log 2>&1 &
installers=$!

step "the quick checks (make check): ruff, clean notebooks, unit tests, book/package agreement, quizzes, exercises up to date"
make --no-print-directory check

step "every solution notebook runs top to bottom (make test-notebooks)"
make --no-print-directory test-notebooks

step "bubblewrap and Chromium installed (when missing)"
wait "$installers" || { cat _build/install.log; exit 1; }
cat _build/install.log

step "the chapters execute (once) and the book builds with warnings as errors (make book)"
make --no-print-directory book

step "graded tests can fail: every assignment's solution, blank and wrong answers (make test-assignments)"
make --no-print-directory test-assignments

step "checked outputs against the book's execution, the book in a real browser (make test-book); beside it, the grader graded: a hostile class in the sandbox (make test-grader)"
beside test-grader
make --no-print-directory test-book || failed+=("make test-book exited $?")
joined

step "done"
if [ "${#failed[@]}" -ne 0 ]; then
    printf '\nFAILED: %s\n' "${failed[@]}"
    exit 1
fi
printf '\nTime per step:\n'
printf '%s\n' "${times[@]}"
printf '\nAll checks passed in %d s.\n' $((SECONDS - start))
