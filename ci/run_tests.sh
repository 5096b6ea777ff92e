#!/usr/bin/env bash
# Everything CI checks, in the order that fails fastest. Called by `make test`, which
# has already created .venv; the same script runs on the CPU and the GPU runner.
# Prints each step's time at the end.
#
# Steps that keep both cores busy run one after another: measured 2026-11-30, running
# the browser tests or the grader's tests beside such a step slowed it by more than they
# took alone. The last two leave cores idle (1.6 and 1.3 of 2 busy, 2026-12-03), so they
# run side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p _build

# Every step runs one TensorFlow process per core (the book's executor, nbval, the
# grading pool). TensorFlow's default, a thread pool over every core in each process,
# makes them fight: two chapters side by side ran 9% faster with one thread each.
export TF_NUM_INTRAOP_THREADS="${TF_NUM_INTRAOP_THREADS:-1}"
export TF_NUM_INTEROP_THREADS="${TF_NUM_INTEROP_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# Busy and total CPU time so far, in clock ticks, from the kernel's counters (Linux):
# a step's share of busy cores says whether it keeps both cores working.
cpu_ticks() {
    if [ -r /proc/stat ]; then
        awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat
    else
        echo "0 0"
    fi
}
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

# The machine's speed varies from run to run (and these machines from each other): a
# fixed piece of work, timed at the start and at the end, to compare step times by.
speed() { "${BIN:-.venv/bin}/python" ci/machine_speed.py; }
speed_at_start=$(speed)
echo "$speed_at_start"

times=()
last_step=""
step_start=$SECONDS
start=$SECONDS
read -r busy_start total_start < <(cpu_ticks)
step() {
    local busy total
    read -r busy total < <(cpu_ticks)
    if [ -n "$last_step" ]; then
        times+=("$(awk -v s=$((SECONDS - step_start)) -v b=$((busy - busy_start)) \
            -v t=$((total - total_start)) -v n="$cores" -v name="$last_step" \
            'BEGIN {printf "%6d s  %4.1f of %d cores busy  %s", s, t ? n * b / t : 0, n, name}')")
    fi
    last_step="$*"
    step_start=$SECONDS
    busy_start=$busy total_start=$total
    printf '\n=== %s\n' "$*"
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

step "side by side, each one's output when it ends: checked outputs against the book's execution, the book in a real browser (make test-book); the grader graded: a hostile class in the sandbox, the sandbox itself, the set-up cell (make test-grader)"
make --no-print-directory -j2 --output-sync=target test-book test-grader

step "done"
printf '\nTime per step:\n'
printf '%s\n' "${times[@]}"
printf '\nAt the start, %s\nAt the end,   %s\n' "$speed_at_start" "$(speed)"
printf '\nAll checks passed in %d s.\n' $((SECONDS - start))
