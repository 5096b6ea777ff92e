"""Without bubblewrap, grading stops and says how to install it; with it, the sandbox
runs the course's runtime and nothing outside it is in reach."""

import ast
import subprocess
import sys

import pytest

from grading import cli
from grading.sandbox import Limits, Sandbox, SandboxUnavailable, runtime_dirs


def test_missing_bwrap_stops_with_install_instructions(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        Sandbox()
    (tmp_path / "submitted").mkdir()
    assert cli.main([str(tmp_path / "submitted")]) == 2
    assert "--unsandboxed" in capsys.readouterr().err


@pytest.mark.slow  # needs bwrap, which `make test-grader` installs
def test_the_sandbox_sees_only_its_runtime_and_workdir(tmp_path):
    sandbox = Sandbox()
    sandbox.check(tmp_path / "check")
    work = tmp_path / "work"
    work.mkdir()
    sandbox.prepare(work)
    probe = (
        "import os, socket, rnnbook, grading.course\n"
        "print('grading importable')\n")
    result = subprocess.run(sandbox.command([sys.executable, "-c", probe], work, Limits()),
                            capture_output=True, text=True, check=False)
    # The course package is there; the grader (and the repository around it) is not.
    assert "No module named 'grading'" in result.stderr, result
    looks = (
        "import os, socket\n"
        "from pathlib import Path\n"
        "import rnnbook\n"
        "root = Path(rnnbook.__file__).parents[1]\n"
        "print(sorted(p.name for p in root.iterdir()))\n"
        "print(os.listdir('/tmp'))\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 22), timeout=2)\n"
        "except OSError as error:\n"
        "    print('network:', error.errno)\n")
    result = subprocess.run(sandbox.command([sys.executable, "-c", looks], work, Limits()),
                            capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines()
    assert "solutions" not in lines[0] and "tests" not in lines[0], lines
    # /tmp is private: it holds the student's folder (work, copied from the read-only
    # .seed) and the mount points of what was bound (when the course itself lives under
    # /tmp, its runtime), nothing of the host.
    allowed = {p.relative_to("/tmp").parts[0] for p in runtime_dirs()
               if p.is_relative_to("/tmp")} | {"work", ".seed"}
    assert set(ast.literal_eval(lines[1])) <= allowed, (lines[1], allowed)
    # Its own network namespace: nothing listens on its loopback, nothing else is there.
    assert lines[2] in ("network: 111", "network: 101"), lines


@pytest.mark.slow
def test_the_kernel_gets_the_thread_counts_and_no_other_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", "1")
    monkeypatch.setenv("GRADER_SECRET", "not for students")
    sandbox = Sandbox()
    work = tmp_path / "work"
    work.mkdir()
    sandbox.prepare(work)
    probe = "import os; print(sorted(os.environ))"
    result = subprocess.run(sandbox.command([sys.executable, "-c", probe], work, Limits()),
                            capture_output=True, text=True, check=True)
    seen = ast.literal_eval(result.stdout.splitlines()[-1])
    assert "TF_NUM_INTRAOP_THREADS" in seen and "GRADER_SECRET" not in seen, seen


def _host_usage():
    """(shared memory, the grader's scratch disk in use), in MB."""
    import shutil
    import tempfile

    meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo"))  # noqa: SIM115
    shmem = int(meminfo["Shmem"].split()[0]) / 1024
    return shmem, shutil.disk_usage(tempfile.gettempdir()).used / 2**20


@pytest.mark.slow
def test_a_submission_is_stopped_at_the_bytes_it_may_write():
    """A writer of 25 MB files, in its folder and in /tmp, told to write 1 GB, meets the
    bound (64 MB here) with a reason in its row; the host's shared memory and disk grow
    by no more than the bound while it runs."""
    import threading

    from grading import course
    from grading.grade import grade_submission

    assignment = "assignment8_char_model"
    answers = course.solution_sources(assignment)
    writer = ("block = np.zeros(25 * 2**20 // 8)\n"
              "for k in range(40):\n"
              "    block.tofile(f'/tmp/fill{k}.bin' if k % 2 else f'fill{k}.bin')\n\n")
    notebook = course.with_answers(course.student_version(assignment), {
        **answers, "interpolated_bigram_loss": writer + answers["interpolated_bigram_loss"]})
    start, peak, done = _host_usage(), [0.0, 0.0], threading.Event()

    def sample():
        while not done.is_set():
            now = _host_usage()
            peak[:] = [max(p, n - s) for p, n, s in zip(peak, now, start, strict=True)]
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        result = grade_submission("writer", assignment, notebook=notebook,
                                  limits=Limits(disk_mb=64, cell_timeout=30))
    finally:
        done.set()
        sampler.join()
    assert "wrote past the 64 MB" in result.row()["reason"], result.row()
    lost = {"bigram_small", "bigram_contexts"}
    assert all((t["score"] == 0) == (t["name"] in lost) for t in result.tests), result.tests
    shared, disk = peak
    assert shared < 64 + 48 and disk < 48, f"the host grew by {shared:.0f} MB of shared " \
        f"memory and {disk:.0f} MB of disk"
