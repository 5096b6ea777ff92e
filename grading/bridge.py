"""The trusted interpreter's side of a two-interpreter grading run.

The grader's trusted kernel runs the instructor's context cells and the test cells.
Where the student's notebook has a solution cell, the trusted notebook has a cell that
calls `Bridge.define`: each name the instructor's solution defines becomes a stand-in
(`StudentFunction`) that forwards calls to the student's kernel, in the sandbox, over a
Unix socket whose only content is data (grading.wire). What comes back is decoded into
new values of allowed types, or a `wire.Remote` handle; the student's exceptions arrive
as their type's name and a capped message.

The student's kernel never sees a test, a hidden test, a reference solution or this
module; it receives its own notebook's cells, the wire module and requests.
"""

import json
import os
import queue
import socket
import time

from jupyter_client import BlockingKernelClient

from grading import wire

# Raised on the trusted side for a student's exception of these built-in types, so that
# `except ValueError` in a test works as in one process; others arrive as StudentError.
BUILTIN_ERRORS = {e.__name__: e for e in (
    ValueError, TypeError, KeyError, IndexError, AttributeError, NameError,
    ZeroDivisionError, NotImplementedError, RuntimeError, AssertionError, ArithmeticError,
    OverflowError, LookupError, StopIteration, RecursionError, MemoryError)}
FROM_STUDENT = "raised in your code: "  # how a message shows that the student's code raised
CHANNEL_BROKEN = "the channel to the student's interpreter "  # the start of such messages


class StudentError(Exception):
    """The student's code raised an exception of a type the trusted side does not make."""


def student_exception(type_name, message):
    """An exception of the student's type (or StudentError), marked as theirs."""
    kind = BUILTIN_ERRORS.get(type_name)
    text = f"{FROM_STUDENT}{type_name}: {message}" if message else f"{FROM_STUDENT}{type_name}"
    error = kind(text) if kind else StudentError(text)
    error.student_type = type_name
    return error


class StudentFunction:
    """Stands in, in the trusted interpreter, for a name a solution cell defines."""

    def __init__(self, bridge, name, sources):
        self.__name__ = self.__qualname__ = name
        self._bridge = bridge
        self.student_sources = sources  # the solution cells' code, for check_rules

    def __call__(self, *args, **kwargs):
        return self._bridge.call(self.__name__, args, kwargs)

    def substitute(self, value):
        """Within a test's rnnbook.testing.substitute: the student's notebook too sees
        value under this name (until restore)."""
        self._bridge.ask({"op": "substitute", "name": self.__name__,
                              "value": self._bridge.codec.encode(value)})

    def restore(self):
        self._bridge.ask({"op": "restore", "name": self.__name__})

    def __repr__(self):
        return f"<{self.__name__} from the student's notebook>"


def _wait_for_ready(client, timeout):
    """As jupyter_client's wait_for_ready (a kernel_info reply, then IOPub connected),
    without its last step, a 0.2 s wait for IOPub to fall silent: 0.2 s per notebook."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = client.kernel_info()
        try:
            reply = client.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") != request:
            continue
        try:
            client.get_iopub_msg(timeout=0.2)  # the reply's status messages: IOPub is live
            return
        except queue.Empty:
            continue
    raise RuntimeError(f"{CHANNEL_BROKEN}never started (no kernel_info reply)")


class Bridge:
    """The trusted kernel's link to the student's: a Jupyter client of it, which starts
    the student's side of the channel (grading.wire.Server.loop) as one execute request,
    and the channel itself, a Unix socket in the student's folder."""

    def __init__(self, settings_path, connect_timeout=30.0):
        settings = json.loads(open(settings_path).read())  # noqa: SIM115
        self.sources = settings["sources"]  # {grade id: the student's code}
        self.transcript = settings.get("transcript")
        self.client = BlockingKernelClient()
        self.client.load_connection_file(settings["connection_file"])
        self.client.start_channels()
        _wait_for_ready(self.client, timeout=60)
        self.codec = wire.Codec(lambda *handle: wire.Remote(self, *handle))
        self.channel, self.broken, self.loop_done = None, None, False
        path = settings["socket"]
        if os.path.lexists(path):
            os.unlink(path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        os.chmod(path, 0o666)  # the sandbox's user connects to it
        listener.listen(1)
        listener.settimeout(0.05)
        self._record(f"__rnn_grader__.loop({path!r})")
        self.loop_id = self.client.execute(f"__rnn_grader__.loop({path!r})",
                                           store_history=False)
        deadline = time.monotonic() + connect_timeout
        while self.channel is None and self.broken is None:
            try:
                connection, _ = listener.accept()
                connection.settimeout(None)
                self.channel = wire.Channel(connection)
            except TimeoutError:
                if self._loop_ended(0.05) or time.monotonic() > deadline:
                    self.broken = CHANNEL_BROKEN + "never started"
        listener.close()
        os.unlink(path)

    def _record(self, text):
        if self.transcript:
            with open(self.transcript, "a") as log:
                log.write(text + "\n")

    def _loop_ended(self, timeout):
        """True once the student's loop request has finished (its kernel is idle)."""
        if self.loop_done:
            return True
        try:
            message = self.client.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            return False
        self.loop_done = (message["parent_header"].get("msg_id") == self.loop_id
                          and message["msg_type"] == "status"
                          and message["content"].get("execution_state") == "idle")
        return self.loop_done

    def close(self, wait=10.0):
        """Stop the student's loop and wait until its kernel is idle again."""
        if self.channel is not None:
            try:
                self.channel.send({"stop": True})
            except OSError:
                pass
            self.channel.sock.close()
            self.channel = None
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and not self._loop_ended(0.1):
            pass
        # The next notebook's Bridge connects anew (this kernel may be kept for
        # another student's notebook: grading.execute.TrustedKernel).
        self.client.stop_channels()

    def define(self, namespace, functions, values=()):
        """Stand-ins in namespace (the trusted kernel's globals) for the functions and
        classes a solution cell defines; the values of the other names it binds, read
        from the student's interpreter now."""
        sources = list(self.sources.values())
        for name in functions:
            namespace[name] = StudentFunction(self, name, sources)
        for name in values:
            try:
                namespace[name] = self.ask({"op": "get", "name": name})
            except Exception:  # noqa: BLE001 - not defined there: not defined here
                namespace.pop(name, None)

    def call(self, target, args, kwargs):
        return self.ask({"op": "call", "target": target,
                             "args": self.codec.encode(list(args)),
                             "kwargs": self.codec.encode(dict(kwargs))})

    def ask(self, request):
        if self.broken:
            raise StudentError(f"{FROM_STUDENT}{self.broken}")
        self._record(json.dumps(request))
        try:
            answer = self.channel.exchange(request, self._serve)
        except KeyboardInterrupt:  # the trusted cell's time limit: stop the student too
            self._interrupt()
            raise
        except (OSError, ConnectionError, wire.WireError, ValueError) as error:
            self.broken = f"{CHANNEL_BROKEN}stopped answering ({error})"[:300]
            raise StudentError(f"{FROM_STUDENT}{self.broken}") from None
        self.codec.restore(answer.get("returned", []))
        import warnings

        for category, message in answer.get("warnings", []):
            kind = {"RuntimeWarning": RuntimeWarning, "DeprecationWarning": DeprecationWarning,
                    "UserWarning": UserWarning, "FutureWarning": FutureWarning}.get(
                        category, UserWarning)
            warnings.warn(f"{FROM_STUDENT}{message}", kind, stacklevel=3)
        if "error" in answer:
            error = answer["error"]
            raise student_exception(str(error.get("type", "Error")),
                                    str(error.get("message", ""))[:wire.MESSAGE_CHARS])
        value = self.codec.decode(answer.get("value"))
        self.codec.passed = {}
        return value

    def _serve(self, request):
        """Answer a call back from the student's code (to an object of this side)."""

        def run(request):
            target = self.codec.local[request["target"]]
            if request.get("op") == "getattr":
                return getattr(target, str(request["attr"]))
            if request.get("op") != "call":
                raise wire.WireError("the trusted side answers calls and attributes only")
            return target(*self.codec.decode(request["args"]),
                          **self.codec.decode(request["kwargs"]))

        return wire.answer(self.codec, run, request)

    def _interrupt(self, wait=10.0):
        """Interrupt the student's kernel and read the interrupted call's answer, so that
        the channel is in step again; if none comes, the channel is broken."""
        message = self.client.session.msg("interrupt_request", {})
        self.client.control_channel.send(message)
        self.channel.sock.settimeout(wait)
        try:
            while "answer" not in self.channel.receive():
                pass
        except (OSError, ConnectionError, wire.WireError):
            self.broken = CHANNEL_BROKEN + "did not answer after an interrupt"
        finally:
            if self.channel is not None:
                self.channel.sock.settimeout(None)
