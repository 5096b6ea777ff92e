"""How fast a class is graded, sandboxed and not: the figure an instructor plans with.

    python -m bench.grading [--students 8] [--rounds 2] [--workers N]
    (or: make bench-grading)

Finds the heaviest assignment (the one whose solution takes longest to grade), then
grades a class of `students` correct submissions of it with `workers` processes, in
three ways in alternation (`rounds` times each, so that a slow spell of a noisy machine
hits all alike): as the grader does (two interpreters, sandboxed), with the tests in the
student's own kernel (one kernel, sandboxed: the design before the trusted
interpreter), and two interpreters unsandboxed. Prints submissions per minute side by
side with their ratios, and what one call through the channel between the two
interpreters costs (grading.wire, both ends in this process, so the kernels' own time
is left out); writes bench/grading.json.
"""

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import nbformat

from grading import course
from grading.grade import grade_class, grade_notebooks
from grading.term import Term

RESULTS = Path(__file__).with_name("grading.json")


def heaviest_assignment():
    """(assignment, seconds) whose solution takes longest to grade, sandboxed."""
    times = {}
    for assignment in course.assignments():
        solution = course.solution_submission(assignment)
        result = grade_notebooks(assignment, {"solution": solution}, workers=1)["solution"]
        assert result.score == result.max_score, result.row()
        times[assignment] = result.seconds
        print(f"  {assignment:<30} {result.seconds:6.1f} s per submission")
    return max(times.items(), key=lambda item: item[1]), times


def make_class(folder, assignment, students):
    solution = course.solution_submission(assignment)
    for index in range(students):
        target = Path(folder) / f"student{index:02d}" / assignment
        target.mkdir(parents=True)
        nbformat.write(solution, target / f"{assignment}.ipynb")


def channel_overhead(calls=2000):
    """Seconds per call of the identity through grading.wire's channel, both ends in
    this process (a socket pair and a thread), for three sizes of argument."""
    import socket
    import threading

    import numpy as np

    from grading import wire

    left, right = socket.socketpair()
    server = wire.Server({"same": lambda x: x})
    server.channel = wire.Channel(right)

    def serve():
        while "request" in (message := server.channel.receive()):
            server.channel.send({"answer": server.answer(message["request"])})

    thread = threading.Thread(target=serve)
    thread.start()
    channel, codec = wire.Channel(left), wire.Codec(None)
    arguments = {"an int": 3, "1,000 floats": np.ones(1000),
                 "a 200 x 500 float32 array": np.ones((200, 500), np.float32)}
    seconds = {}
    for name, value in arguments.items():
        count = calls if np.size(value) < 10_000 else calls // 20
        start = time.perf_counter()
        for _ in range(count):
            answer = channel.exchange({"op": "call", "target": "same",
                                       "args": codec.encode([value]),
                                       "kwargs": codec.encode({})}, None)
            codec.decode(answer["value"])
            codec.local.clear()
        seconds[name] = (time.perf_counter() - start) / count
    channel.send({"stop": True})
    thread.join()
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    print("Grading each assignment's solution once, sandboxed:")
    (assignment, _), per_assignment = heaviest_assignment()
    print(f"Heaviest: {assignment}. A class of {args.students}, {args.workers} workers:")
    scratch = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    make_class(scratch / "submitted", assignment, args.students)
    course.generate_release(scratch / "course")  # a scratch term whose gradebook knows it
    term = Term.from_config(root=scratch / "course")
    ways = {"two interpreters, sandboxed": (True, True),
            "one kernel, sandboxed": (False, True),
            "two interpreters, unsandboxed": (True, False)}
    per_minute = {way: [] for way in ways}
    try:
        for _ in range(args.rounds):
            for mode, (two, sandboxed) in ways.items():
                start = time.perf_counter()
                results = grade_class(scratch / "submitted", term, [assignment],
                                      workers=args.workers, sandboxed=sandboxed,
                                      log=lambda *_: None, two_interpreters=two,
                                      reference=False)
                seconds = time.perf_counter() - start
                assert all(r.score == r.max_score for r in results), [r.row() for r in results]
                per_minute[mode].append(60 * len(results) / seconds)
                print(f"  {mode:<30} {per_minute[mode][-1]:6.1f} submissions per minute")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    best = {mode: max(values) for mode, values in per_minute.items()}
    graded = best["two interpreters, sandboxed"]
    print(f"\nBest of {args.rounds}, submissions per minute:")
    for mode, value in best.items():
        print(f"  {mode:<30} {value:6.1f}  ({value / graded:.2f} x the grader's way)")
    calls = channel_overhead()
    for name, seconds in calls.items():
        print(f"  one call through the channel, {name}: {1e6 * seconds:,.0f} us")
    RESULTS.write_text(json.dumps({
        "assignment": assignment, "students": args.students, "workers": args.workers,
        "cores": os.cpu_count(), "machine": platform.machine(), "date": time.strftime("%F"),
        "seconds_per_solution": per_assignment, "per_minute": per_minute,
        "best_per_minute": best, "channel_seconds_per_call": calls}, indent=1) + "\n")
    print(f"Written to {RESULTS}")


if __name__ == "__main__":
    main()
