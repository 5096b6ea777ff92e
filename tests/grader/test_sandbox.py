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
    assert cli.main([str(tmp_path / "submitted"), "--output", str(tmp_path / "out")]) == 2
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
    # /tmp is private: it holds only the mount points of what was bound (the working
    # copy and, when the course itself lives under /tmp, its runtime), nothing of the host.
    bound = [work, *runtime_dirs()]
    allowed = {p.relative_to("/tmp").parts[0] for p in bound if p.is_relative_to("/tmp")}
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
