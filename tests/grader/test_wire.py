"""The wire protocol between the trusted interpreter and the student's (grading.wire):
what crosses comes back equal, state passed into a call goes back, and a message that
is not what the protocol sends is refused, never run."""

import json
import socket
import threading

import keras
import numpy as np
import pytest
import tensorflow as tf

from grading import wire


def crossed(value, codec=None):
    """value encoded on one side, sent as JSON text and decoded on the other."""
    sender = codec or wire.Codec(None)
    text = json.dumps(sender.encode(value))
    return wire.Codec(lambda h, t, c: ("handle", h, t, c), accept_functions=True).decode(
        json.loads(text))


@pytest.mark.parametrize("value", [
    None, True, 0, -3, 2**70, 1.5, float("inf"), "text", [1, [2, "a"]], (1, (2.0,)),
    {3: 0.5, 8: -0.25}, {"a": [1, 2], (1, 2): None}])
def test_plain_data_comes_back_equal(value):
    got = crossed(value)
    assert got == value and type(got) is type(value)


def test_nan_comes_back():
    assert np.isnan(crossed(float("nan")))


@pytest.mark.parametrize("dtype", ["bool", "int8", "int64", "uint16", "float32", "float64",
                                   "complex64"])
def test_arrays_keep_dtype_shape_and_values(dtype):
    array = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    got = crossed(array)
    assert got.dtype == array.dtype and got.shape == array.shape
    assert np.array_equal(got, array)
    scalar = crossed(array.reshape(-1)[5])
    assert isinstance(scalar, np.generic) and scalar == array.reshape(-1)[5]


def test_tensors_variables_and_iterators():
    tensor = crossed(tf.constant([[1.0, 2.0]]))
    assert isinstance(tensor, tf.Tensor) and tensor.numpy().tolist() == [[1.0, 2.0]]
    variable = crossed(tf.Variable([3, 4]))
    assert isinstance(variable, tf.Variable) and variable.numpy().tolist() == [3, 4]
    items = crossed(x * 2 for x in range(3))
    assert list(items) == [0, 2, 4]


def test_a_generator_continues_where_the_other_side_left_it():
    rng = np.random.default_rng(42)
    sender = wire.Codec(None)
    receiver = wire.Codec(None)
    theirs = receiver.decode(json.loads(json.dumps(sender.encode(rng))))
    drawn = theirs.integers(0, 100, size=5)
    sender.restore(json.loads(json.dumps(receiver.state_of_passed())))
    assert np.array_equal(drawn, np.random.default_rng(42).integers(0, 100, size=5))
    after = np.random.default_rng(42)
    after.integers(0, 100, size=5)
    assert rng.integers(0, 100, size=5).tolist() == after.integers(0, 100, size=5).tolist()


def test_an_array_changed_in_place_is_changed_for_the_caller():
    array = np.zeros(3)
    sender, receiver = wire.Codec(None), wire.Codec(None)
    theirs = receiver.decode(json.loads(json.dumps(sender.encode(array))))
    theirs += 1
    sender.restore(json.loads(json.dumps(receiver.state_of_passed())))
    assert array.tolist() == [1.0, 1.0, 1.0]


def test_a_keras_layer_crosses_with_its_weights_and_settings():
    layer = keras.layers.LSTM(3, use_cudnn=False, return_sequences=True)
    layer.build((None, None, 2))
    layer.set_weights([np.full(w.shape, 0.1, np.float32) for w in layer.weights])
    got = crossed(layer)
    assert isinstance(got, keras.layers.LSTM) and got.use_cudnn is False
    x = np.ones((1, 4, 2), np.float32)
    assert np.allclose(got(x), layer(x))


def test_a_cell_held_three_times_is_one_cell_on_the_other_side():
    cell = keras.layers.LSTMCell(4)
    shared = crossed(keras.layers.RNN([cell] * 3))
    assert len({id(c) for c in shared.cell.cells}) == 1
    separate = crossed(keras.layers.RNN([keras.layers.LSTMCell(4) for _ in range(3)]))
    assert len({id(c) for c in separate.cell.cells}) == 3


def test_what_is_not_data_crosses_as_a_handle():
    class Agree:
        def __eq__(self, other):
            return True

    codec = wire.Codec(None)
    kind, handle, type_name, is_callable = crossed(Agree(), codec)
    assert kind == "handle" and type_name == "Agree" and not is_callable
    assert isinstance(codec.local[handle], Agree)
    assert crossed(print)[0] == "handle"


def test_rnnbook_functions_cross_by_name_to_the_students_side_only():
    import rnnbook

    assert crossed(rnnbook.binary_entropy) is rnnbook.binary_entropy
    message = wire.Codec(None).encode(rnnbook.binary_entropy)
    trusted = wire.Codec(lambda h, t, c: ("handle", h, t, c))
    with pytest.raises(wire.WireError):
        trusted.decode(message)


@pytest.mark.parametrize("message", [
    {"t": "array", "dtype": "object", "shape": [1], "data": ""},
    {"t": "array", "dtype": "float64", "shape": [2], "data": "AAAAAAAAAAA="},  # 8 bytes
    {"t": "array", "dtype": "float64", "shape": [-1], "data": ""},
    {"t": "generator", "state": {"t": "dict", "v": [["bit_generator", "os.system"]]}},
    {"t": "function", "module": "os", "name": "system"},
    {"t": "keras", "config": {"module": "os", "class_name": "system", "config": {}}},
    {"t": "keras", "config": {"module": "keras.layers", "class_name": "TFSMLayer",
                              "config": {"filepath": "/etc"}}},
    {"t": "keras", "config": {"module": "keras.src.utils.file_utils",
                              "class_name": "function", "config": "get_file"}},
    {"t": "pickle", "v": "gASVAAAAAAAAAAA="},
    {"t": "float", "v": "__import__('os')"},
    {"t": "list", "v": "not a list"},
    ["a", "bare", "list"],
])
def test_messages_the_protocol_does_not_send_are_refused(message):
    codec = wire.Codec(lambda *a: None, accept_functions=True)
    with pytest.raises((wire.WireError, ValueError, TypeError)):
        codec.decode(message)


def test_the_channel_refuses_a_message_past_its_size():
    left, right = socket.socketpair()
    left.sendall((wire.MESSAGE_BYTES + 1).to_bytes(4, "big"))
    with pytest.raises(wire.WireError):
        wire.Channel(right).receive()


def test_a_call_back_can_call_back_again():
    """Both sides answer the other's requests while they wait for their own answer."""
    left, right = socket.socketpair()
    a, b = wire.Channel(left), wire.Channel(right)

    def b_side():
        message = b.receive()  # a asks for f(3); b needs g(3) from a first
        inner = b.exchange({"op": "g", "x": message["request"]["x"]},
                           lambda request: {"value": -1})
        b.send({"answer": {"value": inner["value"] + 1}})

    thread = threading.Thread(target=b_side)
    thread.start()
    answer = a.exchange({"op": "f", "x": 3}, lambda request: {"value": request["x"] * 10})
    thread.join()
    assert answer == {"value": 31}


def test_a_course_model_and_its_method_cross_and_training_comes_back():
    """A VanillaRNN given to one call (make_train_step) and changed by a later one (the
    step it returned) is changed for the caller after that later call."""
    from rnnbook.rnn import VanillaRNN

    model = VanillaRNN(3, seed=1)
    sender, receiver = wire.Codec(None), wire.Codec(None, accept_functions=True)
    cell = receiver.decode(json.loads(json.dumps(sender.encode(model.cell))))
    theirs = cell.__self__
    assert type(theirs) is VanillaRNN and np.array_equal(theirs.W.numpy(), model.W.numpy())
    sender.restore(json.loads(json.dumps(receiver.state_of_passed())))
    theirs.W.assign_add(tf.ones_like(theirs.W))  # a later call trains it
    sender.restore(json.loads(json.dumps(receiver.state_of_passed())))
    assert np.allclose(model.W.numpy(), theirs.W.numpy())
    assert receiver.state_of_passed() == []  # unchanged since: nothing to send


def test_state_sent_back_reaches_only_objects_with_state():
    """A dishonest answer naming a handle's ref (the grader's helper) writes nothing."""

    class Helper:
        calls = []

    helper, array = Helper(), np.zeros(2)
    sender = wire.Codec(None)
    handle = sender.encode(helper)["id"]
    array_ref = sender.encode(array)["ref"]
    sender.restore([[handle, sender.encode([np.ones(1)])],
                    [array_ref, sender.encode(np.ones(2))]])
    assert Helper.calls == [] and array.tolist() == [1.0, 1.0]


def test_a_handle_to_something_not_callable_cannot_be_called():
    remote = wire.Remote(None, 1, "Agree", False)
    with pytest.raises(TypeError, match="not callable"):
        remote()
    with pytest.raises(AttributeError):
        remote._private  # noqa: B018


def test_only_a_public_method_of_a_model_crosses():
    layer = keras.layers.Dense(2)
    message = wire.Codec(None).encode(layer.call)
    assert message["t"] == "method"
    message["name"] = "__init__"
    with pytest.raises(wire.WireError):
        wire.Codec(None).decode(json.loads(json.dumps(message)))
