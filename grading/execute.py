"""Execute one notebook with its kernel in the sandbox; the executor stays outside.

The executor (nbclient) runs in the grader's process. The kernel is started through
the sandbox's command line and reached over ZeroMQ's `ipc` transport, whose sockets are
files in the submission's scratch folder, so the kernel needs no network at all.
"""

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from grading.sandbox import TrustedSide

KERNEL = "rnn-grading"


class QuietKernelManager(AsyncKernelManager):
    """The kernel's own stdout and stderr go to a log file, never to the grader's
    terminal, where a hostile kernel could print lines that look like grades."""

    log_path = None

    async def start_kernel(self, **kwargs):
        handle = open(self.log_path, "ab")  # noqa: SIM115 - closed when the kernel ends
        kwargs.setdefault("stdout", handle)
        kwargs.setdefault("stderr", handle)
        return await super().start_kernel(**kwargs)


class CappedClient(NotebookClient):
    """An nbclient that keeps at most `output_kb` of output text per cell."""

    output_kb = 200

    def output(self, outs, msg, display_id, cell_index):
        size = sum(len(json.dumps(o)) for o in outs)
        if size > self.output_kb * 1024:
            if not any(o.get("name") == "grader" for o in outs):
                outs.append({"output_type": "stream", "name": "grader",
                             "text": f"[output past {self.output_kb} kB dropped]\n"})
            return None
        return super().output(outs, msg, display_id, cell_index)


def _kernel_spec(folder, sandbox, workdir, limits):
    """A kernelspec whose command starts ipykernel inside the sandbox."""
    argv = sandbox.command(
        [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        workdir, limits)
    spec_dir = Path(folder) / "kernels" / KERNEL
    spec_dir.mkdir(parents=True, exist_ok=True)
    # "message": interrupts travel over the control socket; a signal would stop at bwrap.
    spec = {"argv": argv, "display_name": "grading sandbox", "language": "python",
            "interrupt_mode": "message"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(Path(folder) / "kernels")])


def _kernel_manager(workdir, control, sandbox, limits):
    """A kernel manager whose kernel runs in sandbox, cwd workdir, over ipc sockets in
    workdir/.ipc; its spec and log in control."""
    workdir, control = Path(workdir), Path(control)
    ipc = workdir / ".ipc"
    ipc.mkdir(exist_ok=True)
    sandbox.prepare(workdir)
    specs = _kernel_spec(control, sandbox, workdir, limits)
    km = QuietKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs, transport="ipc",
                            ip=str(ipc / "kernel"), connection_file=str(ipc / "connection.json"))
    km.log_path = control / "kernel.log"
    km.write_connection_file()
    uid, gid = sandbox.owner()
    os.chmod(km.connection_file, 0o600)
    if sandbox.as_root:
        os.chown(km.connection_file, uid, gid)
    return km


def _client(nb, km, workdir, limits, sandbox):
    client = CappedClient(nb, km=km, timeout=limits.cell_timeout, allow_errors=True,
                          interrupt_on_timeout=True, kernel_name=KERNEL,
                          resources={"metadata": {"path": str(workdir)}},
                          startup_timeout=120)
    client.output_kb = limits.output_kb
    # Once the kernel is up, its socket folder is locked (Sandbox.lock).
    client.on_notebook_start = lambda **_: sandbox.lock(workdir)
    return client


def _guarded(run, kernels, limits, spared=()):
    """run() with every kernel of `kernels` killed at the end, and those of `spared`
    too when the whole run is out of time; returns the problem (a string) or None."""
    timed_out = threading.Event()

    def stop():  # the whole notebook is out of time: kill the sandbox (all of it)
        timed_out.set()
        for km in [*kernels, *spared]:
            _kill(km)

    timer = threading.Timer(limits.notebook_timeout, stop)
    timer.start()
    problem = None
    try:
        run()
    except DeadKernelError:
        problem = "the kernel died while running (os._exit, a crash, or the memory limit)"
    except Exception as error:  # noqa: BLE001 - any failure is this submission's alone
        problem = f"the notebook could not be run ({type(error).__name__}: {error})"[:500]
    finally:
        timer.cancel()
        for km in kernels:
            _kill(km)
    if timed_out.is_set():
        problem = f"the whole notebook ran out of time ({limits.notebook_timeout} s)"
    return problem


def execute(nb, workdir, control, sandbox, limits):
    """Run nb in place, kernel cwd = workdir (writable), grader files in control.

    Returns a problem string (or None): the kernel died, the notebook ran out of time.
    Every process of the kernel is gone when this returns.
    """
    km = _kernel_manager(workdir, control, sandbox, limits)
    return _guarded(_client(nb, km, workdir, limits, sandbox).execute, [km], limits)


def execute_pair(student_nb, trusted_nb, segments, workdir, control, sandbox, limits,
                 transcript=None):
    """Run two notebooks in place, side by side: the student's in a kernel in sandbox
    (cwd workdir), the trusted one in a kernel outside it (TrustedKernel), which
    reaches the student's kernel through its connection file (grading.bridge).

    segments: [(student cell indices, trusted cell indices)], run in that order (each
    student part before its trusted part). Returns the problem, as execute does.
    transcript: a file to which the code of every student cell is appended as it is
    sent (the bridge appends its requests), for the grader's own tests.
    """
    student_km = _kernel_manager(workdir, Path(control) / "student", sandbox, limits)
    student = _client(student_nb, student_km, workdir, limits, sandbox)
    trusted = TrustedKernel.take(limits)

    def run():
        with student.setup_kernel():
            trusted.start(trusted_nb)
            for student_cells, trusted_cells in segments:
                for index in student_cells:
                    if transcript:
                        with open(transcript, "a") as log:
                            log.write(student_nb.cells[index].source + "\n")
                    student.execute_cell(student_nb.cells[index], index)
                for index in trusted_cells:
                    trusted.client.execute_cell(trusted_nb.cells[index], index)

    problem = _guarded(run, [student_km], limits, spared=[trusted.km])
    if problem is None:
        trusted.keep()
    else:
        trusted.kill()
    return problem


class TrustedKernel:
    """The trusted interpreter, kept by a grading process for its next submission.

    It runs only the instructor's cells and decodes data, never student code, so it may
    outlive a submission: its namespace is emptied (RESET_BETWEEN, checked) before the
    next one starts, and it is discarded after any problem. A fresh one per submission
    would import TensorFlow again (about 4 s of a core here)."""

    _kept = None

    @classmethod
    def take(cls, limits):
        kept, cls._kept = cls._kept, None
        # The whole notebook's time limit is the caller's (_guarded), not the kernel's: a
        # kernel kept from a batch of another size serves as well.
        if kept is not None and kept.km.has_kernel and replace(
                kept.limits, notebook_timeout=0) == replace(limits, notebook_timeout=0):
            return kept
        if kept is not None:
            kept.kill()
        return cls(limits)

    def __init__(self, limits):
        self.limits, self.used = limits, False
        self.folder = Path(tempfile.mkdtemp(prefix="rnn-grade-trusted-"))
        work = self.folder / "work"
        work.mkdir()
        self.km = _kernel_manager(work, self.folder, TrustedSide(), limits)
        self.client = _client(nbformat.v4.new_notebook(), self.km, work, limits, TrustedSide())

    def start(self, nb):
        """Make the kernel ready for nb: started, or emptied after the last notebook."""
        if not self.km.has_kernel:
            self.client.start_new_kernel()
            self.client.start_new_kernel_client()
        if self.used:  # nbclient writes a cell it ran back into its notebook: its own one
            self.client.nb = nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(RESET_BETWEEN)])
            reset = self.client.execute_cell(self.client.nb.cells[0], 0)
            if any(o.get("output_type") == "error" for o in reset.outputs):
                raise RuntimeError("the trusted kernel could not be emptied for the next "
                                   "notebook")
        self.client.nb = nb
        self.used = True

    def keep(self):
        TrustedKernel._kept = self

    def kill(self):
        _kill(self.km)
        shutil.rmtree(self.folder, ignore_errors=True)


# Run between two notebooks that share a kernel (grade_together; the trusted kernel): the
# next one starts with an empty namespace (checked: the cell fails if a name survived),
# Keras' global state cleared and no figure open. Then gc.freeze(): what is left (the
# imported modules, TensorFlow's own objects) moves where the garbage collector no longer
# scans it. Both %reset and clear_session run a full collection, and with TensorFlow
# loaded each scanned some 300,000 objects: 0.6 s per reset, measured 2026-11-30; frozen,
# 0.01 s, and the notebook's own cells skip that scan too.
RESET_BETWEEN = """\
%reset -f
assert not [name for name in get_ipython().user_ns if not name.startswith("_")
            and name not in get_ipython().user_ns_hidden], "names survived the reset"
import sys
if "keras" in sys.modules:
    sys.modules["keras"].backend.clear_session()
if "matplotlib.pyplot" in sys.modules:
    sys.modules["matplotlib.pyplot"].close("all")
del sys
import gc
gc.freeze()
del gc
"""


def _kill(km):
    """Kill the sandbox's outermost process: its PID namespace, and so every process the
    student started, goes with it (bwrap --die-with-parent, --unshare-pid)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.kill()
    except (ProcessLookupError, OSError):
        pass
    try:
        process.wait(timeout=30)
    except Exception:  # noqa: BLE001
        pass

