"""The OS-level sandbox that student code runs in: bubblewrap, plus resource limits.

Only the Jupyter kernel is sandboxed. The trusted side (the notebook executor, the
scorer, the CSV and the feedback writer) stays outside and talks to the kernel over
Unix sockets in the submission's scratch folder, so nothing the kernel does can touch
what the grader writes.

Inside, the kernel sees: its own working copy (read-write, the only writable place
besides a private /tmp), the system's read-only directories (/usr, /lib, /etc, ...),
the Python environment and the course package (read-only). It does not see the
repository (no solutions/, tests/, gradebook), other submissions, the output folder or
anyone's home. It has no network (its own network namespace, only a loopback), its own PID
namespace (so when the kernel's process ends, every process it started is killed by the
kernel of the OS), and limits on address space, processes, file size and core dumps.
When the grader runs as root, the kernel runs as the unprivileged user `nobody`, since
Linux does not apply the process limit to root.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import rnnbook

INSTALL_HINT = (
    "Grading runs each submission in a bubblewrap sandbox, and `bwrap` was not found.\n"
    "  Debian/Ubuntu:  sudo apt-get install bubblewrap   (or: make sandbox)\n"
    "  Fedora:         sudo dnf install bubblewrap\n"
    "Other systems: see 'Grading in a container' in the instructor's guide. To grade\n"
    "without a sandbox anyway (student code then runs as you, with your files in reach):\n"
    "  make grade ... UNSANDBOXED=1   or   rnn-grade --unsandboxed ..."
)

NOBODY = 65534
# System folders a Python process needs; bound read-only when they exist.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
# Passed on to the kernel when the grader has them: how many threads TensorFlow and
# OpenMP may use (CI sets one each, since it runs one kernel per core).
THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS")


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Times are in seconds, sizes in MB."""

    cell_timeout: int = 120
    notebook_timeout: int = 1800
    memory_mb: int = 8192
    processes: int = 256
    file_mb: int = 256
    disk_mb: int = 1024  # written to its folder and /tmp together (one tmpfs, in memory)
    output_kb: int = 200  # text kept per cell; the rest is dropped and noted


# Inside the sandbox the student's folder is /tmp/work, on a tmpfs of limits.disk_mb that
# holds /tmp too: a copy of the scratch folder (bound read-only at SEED) is made there
# before the kernel starts. Only the kernel's socket folder is the host's, bound at its
# own path, and it is made read-only for the sandbox's user once the kernel is up.
WORK, SEED = "/tmp/work", "/tmp/.seed"
SEED_AND_RUN = f"""\
import os, shutil, sys
for name in os.listdir({SEED!r}):
    source, target = os.path.join({SEED!r}, name), os.path.join({WORK!r}, name)
    if name == ".ipc":
        continue
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
    elif os.path.isdir(source):
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target)
os.execv(sys.argv[1], sys.argv[1:])
"""


def runtime_dirs():
    """The read-only runtime: the interpreter's prefixes and the course package."""
    dirs = {Path(sys.prefix), Path(sys.base_prefix), Path(rnnbook.__file__).parent}
    dirs |= {Path(p) for p in sys.path if p and Path(p).is_dir() and "site-packages" in p}
    resolved = {Path(os.path.realpath(d)) for d in dirs} | dirs
    return sorted(d for d in resolved if not str(d).startswith(SYSTEM_DIRS))


class Sandbox:
    """Builds the command line that runs a program inside the sandbox."""

    def __init__(self, bwrap=None):
        self.bwrap = bwrap or shutil.which("bwrap")
        if not self.bwrap:
            raise SandboxUnavailable(INSTALL_HINT)
        self.as_root = os.geteuid() == 0

    def owner(self):
        """(uid, gid) that must own the writable working copy."""
        return (NOBODY, NOBODY) if self.as_root else (os.getuid(), os.getgid())

    def prepare(self, folder):
        """Hand the writable folder (and everything in it) to the sandbox's user."""
        uid, gid = self.owner()
        if self.as_root:
            for path in [folder, *Path(folder).rglob("*")]:
                os.chown(path, uid, gid, follow_symlinks=False)

    def lock(self, folder):
        """Once the kernel is up: its socket folder and connection file can no longer be
        written by the sandbox's user (so nothing it writes lands on the host's disk).
        Only when the grader runs as root; otherwise the sandbox's user is the grader's."""
        ipc = Path(folder) / ".ipc"
        if self.as_root and ipc.is_dir():
            for path in ipc.iterdir():
                if path.is_file() and not path.is_symlink():
                    os.chown(path, 0, 0)
                    os.chmod(path, 0o644)
            os.chown(ipc, 0, 0)
            os.chmod(ipc, 0o755)

    def command(self, argv, workdir, limits):
        """argv run in the sandbox: its only writable folder (and cwd) is WORK, a copy of
        workdir, on a tmpfs of limits.disk_mb shared with /tmp; workdir/.ipc, if there,
        is bound at its own path (the kernel's sockets)."""
        workdir = str(Path(workdir).resolve())
        limit = ["prlimit", f"--as={limits.memory_mb * 2**20}",
                 f"--nproc={self._nproc(limits)}", f"--fsize={limits.file_mb * 2**20}",
                 "--core=0", "--"]
        if self.as_root:
            # bwrap mounts as root, then setpriv (inside) drops to nobody with no
            # capabilities; no user namespace, so that nobody is a real, limited user.
            wrap = [self.bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net",
                    "--unshare-uts", "--unshare-cgroup-try",
                    "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
            drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--"]
        else:
            wrap, drop = [self.bwrap, "--unshare-all"], []
        wrap += ["--die-with-parent", "--new-session", "--proc", "/proc", "--dev", "/dev",
                 "--perms", "1777", "--size", str(limits.disk_mb * 2**20), "--tmpfs", "/tmp",
                 "--perms", "0777", "--dir", WORK,
                 "--tmpfs", "/run", "--tmpfs", "/home", "--tmpfs", "/root"]
        for folder in SYSTEM_DIRS:
            if Path(folder).exists():
                wrap += ["--ro-bind", folder, folder]
        ipc = Path(workdir) / ".ipc"
        made = {Path("/tmp"), Path(WORK)}
        for folder in [*runtime_dirs(), *([ipc] if ipc.is_dir() else [])]:
            # bwrap makes missing mount points 0700; the sandbox user must pass through.
            for parent in reversed(folder.parents):
                if str(parent) != "/" and parent not in made:
                    wrap += ["--perms", "0755", "--dir", str(parent)]
                    made.add(parent)
        for folder in runtime_dirs():
            wrap += ["--ro-bind", str(folder), str(folder)]
        if ipc.is_dir():
            wrap += ["--bind", str(ipc), str(ipc)]
        wrap += ["--ro-bind", workdir, SEED, "--chdir", WORK, "--clearenv",
                 "--setenv", "HOME", WORK, "--setenv", "TMPDIR", "/tmp",
                 "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin",
                 "--setenv", "TF_CPP_MIN_LOG_LEVEL", "3", "--setenv", "LANG", "C.UTF-8",
                 "--setenv", "MPLBACKEND", "Agg", "--setenv", "MPLCONFIGDIR", "/tmp"]
        for name in THREAD_VARIABLES:
            if os.environ.get(name, "").isdigit():
                wrap += ["--setenv", name, os.environ[name]]
        return limit + wrap + drop + [sys.executable, "-c", SEED_AND_RUN, *argv]

    def _nproc(self, limits):
        # RLIMIT_NPROC counts every process of the user, not only the sandbox's: allow
        # for those already running (other graders' kernels included).
        uid = NOBODY if self.as_root else os.getuid()
        running = 0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    running += entry.stat().st_uid == uid
                except OSError:
                    pass
        return running + limits.processes

    def check(self, scratch):
        """Fail with a clear message unless the runtime works inside the sandbox."""
        Path(scratch).mkdir(parents=True, exist_ok=True)
        self.prepare(scratch)
        probe = "import numpy, ipykernel, rnnbook; print('sandbox ok')"
        argv = self.command([sys.executable, "-c", probe], scratch, Limits())
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0 or "sandbox ok" not in result.stdout:
            raise SandboxUnavailable(
                "bubblewrap is installed but the sandbox does not work here:\n"
                f"{result.stderr.strip()[-2000:]}\n"
                "Unprivileged user namespaces may be disabled (sysctl "
                "kernel.unprivileged_userns_clone=1), or the Python environment is not "
                "readable by the sandbox user.\n\n" + INSTALL_HINT)


class NoSandbox:
    """Runs the kernel as the grader's own user: only when the instructor asks for it."""

    as_root = False

    def owner(self):
        return os.getuid(), os.getgid()

    def prepare(self, folder):
        pass

    def lock(self, folder):
        pass

    def command(self, argv, workdir, limits):
        return ["prlimit", f"--as={limits.memory_mb * 2**20}",
                f"--fsize={limits.file_mb * 2**20}", "--core=0", "--", *argv]

    def check(self, scratch):
        pass


class TrustedSide(NoSandbox):
    """Starts the trusted kernel of a two-interpreter run as the grader's own user, with
    the memory limit only: it runs the instructor's cells and decodes data, never
    student code."""

    def command(self, argv, workdir, limits):
        return ["prlimit", f"--as={limits.memory_mb * 2**20}", "--core=0", "--", *argv]


class SandboxUnavailable(RuntimeError):
    """The sandbox tool is missing or does not work on this machine."""
