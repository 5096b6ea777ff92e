"""What crosses between the trusted interpreter and the student's: data only, as JSON.

Both sides use this module: the grader imports it, and its source text is run in the
student's kernel (which cannot import the grading package: the sandbox does not show
the repository). It holds no test and no solution.

A value is encoded as JSON that names its type; decoding builds a new value of an
allowed type from it, with no pickle and no eval:

- None, booleans, integers, floats and strings as themselves; lists, tuples and dicts
  (of any keys) by their items;
- NumPy arrays of a numeric or boolean dtype, and NumPy scalars, by dtype, shape and
  bytes; tensors as arrays (rebuilt as tensors), variables likewise (rebuilt as
  variables);
- `np.random.Generator` by its bit generator's state;
- Keras layers, models and optimizers by their configuration (built-in classes only:
  rebuilt in Keras' safe mode) and their weights; the course's own models (rnnbook's
  tf.Modules) by their attributes, and a model's public method by model and name;
- an iterator by its items; a function of rnnbook by its name (to the student's side);
- anything else as a *handle*: a number that names the object on the side that holds
  it; the other side calls it, or its methods, through a Remote.

Arrays, generators, variables and Keras objects passed into a call are sent back after
it (`state_of`, `restore`): a generator drawn from, a model trained or an array
changed in place on one side changes the caller's object as it would in one process.
"""

import base64
import json
import math
import struct
import types

import numpy as np

DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"}
# By dtype object: a lookup is about 40 times faster than reading dtype.name (0.05 against
# 2 µs, measured 2026-12-02; it is read for every array and scalar that crosses), and a
# non-native byte order (not in the table) is converted before it crosses.
_DTYPE_NAMES = {np.dtype(name): name for name in DTYPES}
BIT_GENERATORS = {"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"}
MESSAGE_CHARS = 300  # of an exception's message sent across
MESSAGE_BYTES = 256 * 2**20  # the largest message either side accepts


class WireError(ValueError):
    """A message that is not what this protocol sends."""


class RemoteError(Exception):
    """The other side raised: its type's name and a capped message."""

    def __init__(self, type_name, message):
        super().__init__(f"{type_name}: {message}" if message else type_name)
        self.type_name, self.message = type_name, message


def _dtype_name(dtype):
    """The name arrays of dtype cross under, in either byte order; None if they do not."""
    return _DTYPE_NAMES.get(dtype) or _DTYPE_NAMES.get(dtype.newbyteorder("="))


def _array_fields(array):
    array = np.asarray(array, order="C")  # a plain ndarray, 0-d kept
    name = _dtype_name(array.dtype)
    if name is None:
        raise TypeError(f"arrays of dtype {array.dtype} do not cross")
    array = array.astype(array.dtype.newbyteorder("="), copy=False)  # sent in native order
    return {"dtype": name, "shape": list(array.shape),
            "data": base64.b64encode(array.tobytes()).decode("ascii")}


def _array_from(fields):
    dtype, shape = fields.get("dtype"), fields.get("shape")
    if dtype not in DTYPES or not isinstance(shape, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise WireError(f"not an array: dtype {dtype!r}, shape {shape!r}")
    data = base64.b64decode(_str(fields.get("data")), validate=True)
    if len(data) != math.prod(shape) * np.dtype(dtype).itemsize:
        raise WireError("an array's bytes do not match its shape")
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _str(value):
    if not isinstance(value, str):
        raise WireError(f"expected a string, got {type(value).__name__}")
    return value


def _modules(name):
    import sys

    return sys.modules.get(name)


def _is_tensor(value):
    tf = _modules("tensorflow")
    return tf is not None and isinstance(value, tf.Tensor | tf.Variable)


def _is_keras(value):
    keras = _modules("keras")
    return keras is not None and isinstance(
        value, keras.layers.Layer | keras.optimizers.Optimizer)


# The public Keras namespaces a configuration may name classes from, and the layers in
# them that read files or run saved graphs, which must not be built from a student's
# configuration in the trusted interpreter.
KERAS_MODULES = {"keras", "keras.layers", "keras.models", "keras.optimizers",
                 "keras.optimizers.schedules", "keras.initializers", "keras.activations",
                 "keras.regularizers", "keras.constraints", "keras.losses", "keras.metrics"}
KERAS_REFUSED = {"TFSMLayer", "TextVectorization", "StringLookup", "IntegerLookup", "Lambda"}


def _is_course_object(value):
    tf = _modules("tensorflow")
    return tf is not None and isinstance(value, tf.Module) and not _is_keras(value) \
        and type(value).__module__.split(".")[0] == "rnnbook"


def _check_keras_config(config):
    """Every object a Keras configuration names must be one of Keras' public ones."""
    if isinstance(config, dict):
        module = config.get("module")
        if module is not None and module not in KERAS_MODULES:
            raise WireError(f"a Keras configuration names the module {module!r}")
        if config.get("class_name") in KERAS_REFUSED:
            raise WireError(f"a Keras configuration names {config['class_name']}")
        if config.get("registered_name") not in (None, config.get("class_name")):
            raise WireError("a Keras configuration names a registered custom object")
        for value in config.values():
            _check_keras_config(value)
    elif isinstance(config, list):
        for value in config:
            _check_keras_config(value)


class Codec:
    """Encodes and decodes for one side. `local` holds this side's objects that the
    other side has handles to; `passed` the objects decoded during one call, whose state
    goes back when it ends."""

    def __init__(self, remote_factory, accept_functions=False):
        self.local, self.remote_factory = {}, remote_factory
        self.accept_functions = accept_functions  # rnnbook's, by name: the student's side
        self.passed = {}  # what the current call was given, by the sender's ref
        # Objects with state the other side sent (variables, Keras and course objects),
        # kept by its ref: sent again, they are updated, not rebuilt, and their state
        # goes back after a later call that changed them (a step made once and called
        # later trains the model it was given).
        self.received, self.known = {}, {}  # known: their state when last exchanged

    # ------------------------------------------------------------ encoding

    def encode(self, value):
        if isinstance(value, np.generic) and _dtype_name(value.dtype):
            return {"t": "scalar", **_array_fields(np.asarray(value))}  # np.float64 too
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int):
            return value if -2**63 <= value < 2**63 else {"t": "bigint", "v": str(value)}
        if isinstance(value, float):
            return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
        if isinstance(value, list | tuple):
            return {"t": type(value).__name__ if type(value) in (list, tuple) else "list",
                    "v": [self.encode(v) for v in value]}
        if isinstance(value, types.GeneratorType | map | filter | zip | enumerate):
            # An iterator crosses as its items (it is used up here, as it would be there).
            return {"t": "iterator", "v": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            return {"t": "dict", "v": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        if isinstance(value, np.ndarray) and _dtype_name(value.dtype):
            return {"t": "array", "ref": self._keep(value), **_array_fields(value)}
        if isinstance(value, np.random.Generator) and \
                type(value.bit_generator).__name__ in BIT_GENERATORS:
            return {"t": "generator", "ref": self._keep(value),
                    "state": self.encode(value.bit_generator.state)}
        if _is_tensor(value):
            tf = _modules("tensorflow")
            if isinstance(value, tf.Variable):
                return {"t": "variable", "ref": self._keep(value),
                        **_array_fields(value.numpy())}
            try:
                return {"t": "tensor", **_array_fields(value.numpy())}
            except AttributeError:  # a symbolic tensor, inside a traced function
                raise TypeError("a symbolic tensor (inside tf.function or tf.scan) cannot "
                                "cross to the other interpreter") from None
        if _is_course_object(value):
            attributes = {k: v for k, v in vars(value).items()
                          if not k.startswith("_") and (_is_tensor(v) or isinstance(
                              v, (*_SCALARS, np.ndarray)))}
            return {"t": "course", "ref": self._keep(value), "module": type(value).__module__,
                    "class": type(value).__qualname__, "attributes": self.encode(attributes)}
        if getattr(value, "__self__", None) is not None and callable(value) and (
                _is_keras(value.__self__) or _is_course_object(value.__self__)):
            # A model's method (VanillaRNN.cell): the model crosses, then the method.
            return {"t": "method", "self": self.encode(value.__self__),
                    "name": value.__name__}
        if _is_keras(value):
            keras = _modules("keras")
            return {"t": "keras", "ref": self._keep(value),
                    "config": json.loads(json.dumps(keras.saving.serialize_keras_object(value))),
                    "attributes": _scalar_attributes(value),
                    "shared": _shared_layers(value),
                    "weights": [self.encode(np.asarray(w)) for w in _weights(value)]}
        module = getattr(value, "__module__", None) or ""
        if callable(value) and module.split(".")[0] == "rnnbook" and getattr(
                _modules(module), getattr(value, "__qualname__", ""), None) is value:
            # The course package is on both sides: its functions cross by name.
            return {"t": "function", "module": module, "name": value.__qualname__}
        return {"t": "handle", "id": self._keep(value), "type": type(value).__name__,
                "callable": callable(value)}

    def _keep(self, value):
        self.local[id(value)] = value
        return id(value)

    # ------------------------------------------------------------ decoding

    def decode(self, data, depth=0):
        if depth > 100:
            raise WireError("nested too deeply")
        if data is None or isinstance(data, bool | int | float | str):
            return data
        if not isinstance(data, dict):
            raise WireError(f"not a message: {type(data).__name__}")
        kind, value = data.get("t"), data.get("v")
        if kind in ("list", "tuple"):
            if not isinstance(value, list):
                raise WireError(f"a {kind} without items")
            items = [self.decode(v, depth + 1) for v in value]
            return items if kind == "list" else tuple(items)
        if kind == "iterator":
            if not isinstance(value, list):
                raise WireError("an iterator without items")
            return iter([self.decode(v, depth + 1) for v in value])
        if kind == "dict":
            if not isinstance(value, list) or not all(
                    isinstance(p, list) and len(p) == 2 for p in value):
                raise WireError("a dict without pairs")
            return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in value}
        if kind == "bigint":
            return int(_str(value))
        if kind == "float":
            if value not in ("nan", "inf", "-inf"):
                raise WireError(f"not a float: {value!r}")
            return float(value)
        if kind == "array":
            return self._passed(data, _array_from(data))
        if kind == "scalar":
            return _array_from(data)[()]
        if kind == "tensor":
            import tensorflow as tf

            return tf.constant(_array_from(data))
        if kind == "variable":
            import tensorflow as tf

            value, kept = _array_from(data), self.received.get(data.get("ref"))
            if isinstance(kept, tf.Variable) and tuple(kept.shape) == value.shape:
                kept.assign(value)
                return self._passed(data, kept)
            return self._passed(data, tf.Variable(value))
        if kind == "generator":
            state = self.decode(data.get("state"), depth + 1)
            name = state.get("bit_generator") if isinstance(state, dict) else None
            if name not in BIT_GENERATORS:
                raise WireError(f"not a bit generator: {name!r}")
            generator = np.random.Generator(getattr(np.random, name)())
            generator.bit_generator.state = state
            return self._passed(data, generator)
        if kind == "course":
            return self._passed(data, self._course_object(data, depth))
        if kind == "method":
            owner, name = self.decode(data.get("self"), depth + 1), _str(data.get("name"))
            if not (_is_keras(owner) or _is_course_object(owner)) or name.startswith("_"):
                raise WireError("not a public method of a model")
            return getattr(owner, name)
        if kind == "keras":
            return self._passed(data, self._keras(data, depth))
        if kind == "function" and self.accept_functions:
            import importlib

            module = _str(data.get("module"))
            if module.split(".")[0] != "rnnbook":
                raise WireError(f"functions cross from rnnbook only, not {module!r}")
            value = getattr(importlib.import_module(module), _str(data.get("name")), None)
            if not callable(value):
                raise WireError("not a function of rnnbook")
            return value
        if kind == "handle":
            if not isinstance(data.get("id"), int):
                raise WireError("a handle without an id")
            return self.remote_factory(data["id"], _str(data.get("type", "object")),
                                       bool(data.get("callable")))
        raise WireError(f"unknown type {kind!r}")

    def _keras(self, data, depth):
        import keras

        config, ref = data.get("config"), data.get("ref")
        obj = self.received.get(ref)
        if obj is None:  # the same object sent again is rebuilt once, then updated
            _check_keras_config(config)
            obj = keras.saving.deserialize_keras_object(config, safe_mode=True)
            if not isinstance(obj, keras.layers.Layer | keras.optimizers.Optimizer):
                raise WireError(f"a Keras configuration gave a {type(obj).__name__}")
        # Settings a configuration leaves out (LSTM's use_cudnn in Keras 3.15): the
        # object's own scalar attributes, where the rebuilt one has them too.
        attributes = data.get("attributes", {})
        own = _scalar_attributes(obj)
        for name, value in (attributes.items() if isinstance(attributes, dict) else ()):
            if name in own and isinstance(value, _SCALARS) and own[name] != value:
                setattr(obj, name, value)
        _share_layers(obj, data.get("shared", []))
        weights = [self.decode(w, depth + 1) for w in data.get("weights", [])]
        if weights:
            obj.set_weights(weights)
        return obj

    def _course_object(self, data, depth):
        """A model of the course package (rnnbook's tf.Module classes, VanillaRNN and
        LSTM): made without its constructor, then given the attributes sent."""
        import importlib

        import tensorflow as tf

        module, name = _str(data.get("module")), _str(data.get("class"))
        if module.split(".")[0] != "rnnbook":
            raise WireError(f"course objects come from rnnbook, not {module!r}")
        cls = getattr(importlib.import_module(module), name, None)
        if not (isinstance(cls, type) and issubclass(cls, tf.Module)):
            raise WireError(f"{module}.{name} is not a model of the course")
        obj = self.received.get(data.get("ref"))
        if type(obj) is not cls:
            obj = cls.__new__(cls)
            tf.Module.__init__(obj)
        attributes = self.decode(data.get("attributes"), depth + 1)
        for key, value in (attributes.items() if isinstance(attributes, dict) else ()):
            if isinstance(key, str) and key.isidentifier() and not key.startswith("_"):
                setattr(obj, key, value)
        return obj

    def _passed(self, data, value):
        if isinstance(data.get("ref"), int):
            self.passed[data["ref"]] = value
            if not isinstance(value, np.ndarray | np.random.Generator):
                # Kept for later calls: variables, Keras and course objects (a class's
                # worth at most), not the thousands of arrays and generators a test
                # passes, which go back with their own call only.
                self.received[data["ref"]] = value
        return value

    # ------------------------------------------------------------ after a call

    def state_of_passed(self):
        """[[ref, state]] sent back after a call: of the objects it was given, and of
        every object with state received before."""
        states = [[ref, self.encode(state_of(value))] for ref, value in self.passed.items()
                  if not _is_course_object(value)]
        for ref, value in self.received.items():
            # Variables and Keras objects given in an earlier call: only when changed
            # since.
            if _is_course_object(value):
                continue
            state = state_of(value)
            if ref not in self.passed and not _same_state(state, self.known.get(ref)):
                states.append([ref, self.encode(state)])
            self.known[ref] = state
        self.passed = {}
        return states

    def restore(self, states):
        """Write the states sent back into this side's own objects: only those with
        state (arrays, generators, variables, Keras objects), never a handle's."""
        for ref, state in states:
            target = self.local.get(ref)
            if isinstance(target, np.ndarray | np.random.Generator) or _is_tensor(target) \
                    or _is_keras(target):
                restore(target, self.decode(state))


_SCALARS = (bool, int, float, str, type(None))
_NOT_SYNCED = {"name", "built", "states"}


def _scalar_attributes(obj):
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")
            and k not in _NOT_SYNCED and isinstance(v, _SCALARS)}


# Where a Keras object holds its sublayers; a configuration lists a sublayer held twice
# (`[cell] * 3`) as two, so the pairs of places that hold one object cross separately.
_SUBLAYERS = ("cell", "cells", "layer", "forward_layer", "backward_layer")


def _sublayers(layer, path=()):
    """(path, sublayer) for every sublayer reachable through _SUBLAYERS."""
    import keras

    for name in _SUBLAYERS:
        value = getattr(layer, name, None) if name in vars(layer) else None
        items = list(enumerate(value)) if isinstance(value, list | tuple) else [(None, value)]
        for index, item in items:
            if isinstance(item, keras.layers.Layer):
                here = (*path, [name, index])
                yield here, item
                yield from _sublayers(item, here)


def _shared_layers(layer):
    """[[first path, later path]] for each sublayer found again at a later place."""
    first, pairs = {}, []
    for path, item in _sublayers(layer):
        if id(item) in first:
            pairs.append([list(first[id(item)]), list(path)])
        else:
            first[id(item)] = path
    return pairs


def _share_layers(layer, pairs):
    """Make the later place of each pair hold the object at its first place."""
    places = {tuple(map(tuple, path)): item for path, item in _sublayers(layer)}
    for first, later in pairs if isinstance(pairs, list) else ():
        try:
            source = places[tuple(map(tuple, first))]
            *parent_path, (name, index) = [tuple(p) for p in later]
        except (KeyError, TypeError, ValueError):
            raise WireError("a shared layer's place is not in the object") from None
        parent = places[tuple(parent_path)] if parent_path else layer
        if name not in _SUBLAYERS:
            raise WireError(f"a shared layer held in {name!r}")
        if index is None:
            object.__setattr__(parent, name, source)
        else:
            getattr(parent, name)[index] = source


def _weights(value):
    if hasattr(value, "iterations"):  # an optimizer: its variables once it is built
        return value.variables if value.built else []
    return value.weights


def _same_state(a, b):
    if b is None:
        return False
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(
            np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    return np.array_equal(a, b)


def state_of(value):
    if isinstance(value, np.random.Generator):
        return value.bit_generator.state
    if isinstance(value, np.ndarray):
        return value
    if _is_tensor(value):
        return value.numpy()
    return [np.asarray(w) for w in _weights(value)]


def restore(target, state):
    if isinstance(target, np.random.Generator):
        target.bit_generator.state = state
    elif isinstance(target, np.ndarray):
        if target.shape == np.shape(state) and not np.array_equal(target, state):
            if target.flags.writeable:
                np.copyto(target, state)
    elif _is_tensor(target):
        target.assign(state)
    else:
        weights = _weights(target)
        if len(weights) == len(state):
            for variable, value in zip(weights, state, strict=True):
                if variable.shape == np.shape(value):
                    variable.assign(value)


def error_message(error):
    return {"type": type(error).__name__, "message": str(error)[:MESSAGE_CHARS]}


# ---------------------------------------------------------------- the channel

class Channel:
    """Messages (JSON objects) over a stream socket, each after its length in 4 bytes."""

    def __init__(self, sock):
        self.sock = sock

    def send(self, message):
        data = json.dumps(message).encode()
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def receive(self):
        (size,) = struct.unpack(">I", self._exactly(4))
        if size > MESSAGE_BYTES:
            raise WireError(f"a message of {size} bytes (at most {MESSAGE_BYTES})")
        message = json.loads(self._exactly(size))
        if not isinstance(message, dict):
            raise WireError("a message that is not an object")
        return message

    def _exactly(self, n):
        chunks, left = [], n
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise ConnectionError("the other interpreter closed the channel")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def exchange(self, request, serve):
        """Send request and return the answer; until it arrives, answer the other side's
        requests with serve (a call back may call back again)."""
        self.send({"request": request})
        while True:
            message = self.receive()
            if "request" in message:
                self.send({"answer": serve(message["request"])})
            elif "answer" in message and isinstance(message["answer"], dict):
                return message["answer"]
            else:
                raise WireError("neither a request nor an answer")


def answer(codec, run, request):
    """The answer to a request: its value, or the exception it raised; the objects the
    request passed, sent back; the warnings it raised."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = {"value": codec.encode(run(request))}
        except BaseException as error:  # noqa: BLE001 - every failure is the answer
            result = {"error": error_message(error)}
    result["returned"] = codec.state_of_passed()
    result["warnings"] = [[w.category.__name__, str(w.message)[:MESSAGE_CHARS]]
                          for w in caught]
    return result


# ---------------------------------------------------------------- the student's side

class Remote:
    """An object of the other interpreter (one that is not data), on this side: calling
    it, or one of its methods, asks that side over the channel and waits for the answer.
    `side` is what asks: the student's Server, or the trusted side's Bridge."""

    def __init__(self, side, handle, type_name, is_callable):
        self._side, self._handle, self._type = side, handle, type_name
        self._callable = is_callable

    def __call__(self, *args, **kwargs):
        if not self._callable:
            raise TypeError(f"'{self._type}' object is not callable")
        return self._side.ask({"op": "call", "target": self._handle,
                               "args": self._side.codec.encode(list(args)),
                               "kwargs": self._side.codec.encode(kwargs)})

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._side.ask({"op": "getattr", "target": self._handle, "attr": name})

    def __repr__(self):
        return f"<{self._type} of the other interpreter>"


class Server:
    """Answers the trusted side's requests inside the student's kernel: `loop` listens
    on a Unix socket in the kernel's folder and runs each request (a call of a function
    the notebook defined, or of an object it returned) until told to stop."""

    def __init__(self, namespace):
        self.namespace, self.saved = namespace, {}
        self.codec = Codec(lambda *handle: Remote(self, *handle), accept_functions=True)
        self.channel = None

    def ask(self, request):
        result = self.channel.exchange(request, self.answer)
        self.codec.restore(result.get("returned", []))
        if "error" in result:
            raise RemoteError(str(result["error"].get("type", "Error")),
                              str(result["error"].get("message", "")))
        return self.codec.decode(result.get("value"))

    def answer(self, request):
        return answer(self.codec, self.handle, request)

    def handle(self, request):
        op = request.get("op")
        if op == "get":
            value = self.namespace[request["name"]]
        elif op == "substitute":  # a test's rnnbook.testing.substitute, on this side too
            name = _str(request.get("name"))
            self.saved.setdefault(name, []).append(self.namespace.get(name, Server))
            self.namespace[name] = self.codec.decode(request.get("value"))
            value = None
        elif op == "restore":
            name = _str(request.get("name"))
            previous = self.saved[name].pop()
            if previous is Server:
                self.namespace.pop(name, None)
            else:
                self.namespace[name] = previous
            value = None
        else:
            target = request.get("target")
            obj = (self.namespace[target] if isinstance(target, str)
                   else self.codec.local[target])
            if op == "getattr":
                value = getattr(obj, _str(request.get("attr")))
            elif op == "call":
                args = self.codec.decode(request.get("args"))
                kwargs = self.codec.decode(request.get("kwargs"))
                value = obj(*args, **kwargs)
            else:
                raise WireError(f"unknown request {op!r}")
        return value

    def loop(self, path):
        """Connect to the trusted side at path and serve it until it says stop (or
        closes). The trusted side listens: the sandbox's user cannot create files in the
        kernel's socket folder once the kernel is up."""
        import socket

        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
        self.channel = Channel(connection)
        try:
            while True:
                try:
                    message = self.channel.receive()
                except ConnectionError:
                    return
                except KeyboardInterrupt:  # an interrupt meant for a call just answered
                    continue
                if "request" not in message:
                    return
                self.channel.send({"answer": self.answer(message["request"])})
        finally:
            connection.close()
