"""Drives a running maas runtime with Triton's own HTTP client (tritonclient.http), as a user's code
would: health, server and model metadata, inference with output selection, and errors. Exits 0
when every check passed; prints what failed otherwise. Usage:

  triton_client_check.py URL MODEL_KIND MODEL_NAME [DATA_FILE]

MODEL_KIND: digits (FP32 [-1,64] -> logits, with the held-out digits in DATA_FILE), pair (FP32
a, b -> mix, product), tokens (INT64 [-1,8] -> 4 logits) or echo (x of any datatype -> x)."""
import json
import sys

import numpy as np
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

from every_datatype import EVERY_DATATYPE


def main(url, kind, name, data_file=None):
    client = httpclient.InferenceServerClient(url=url, concurrency=4)
    assert client.is_server_live(), "server live"
    assert client.is_server_ready(), "server ready"
    assert client.is_model_ready(name), "model ready"
    server = client.get_server_metadata()
    assert server["extensions"] is not None and server["name"], server
    metadata = client.get_model_metadata(name)
    assert metadata["name"] == name, metadata
    checks = {"digits": digits, "pair": pair, "tokens": tokens, "echo": echo}[kind]
    checks(client, name, metadata, data_file)
    errors(client, name)
    print(f"tritonclient {httpclient.__name__}: {kind} checks passed")


def json_input(name, array, datatype):
    tensor = httpclient.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array, binary_data=False)
    return tensor


def digits(client, name, metadata, data_file):
    assert metadata["inputs"] == [{"name": "input", "datatype": "FP32", "shape": [-1, 64]}], metadata
    data = json.load(open(data_file))
    inputs = np.array(data["inputs"], dtype=np.float32)
    labels = np.array(data["labels"])
    correct = 0
    # Requests of 30 rows (the server takes at most --max-batch-size per request), several in
    # flight at once through the client's own async API.
    pending = []
    for start in range(0, len(inputs), 30):
        rows = inputs[start:start + 30]
        pending.append((start, client.async_infer(
            name, [json_input("input", rows, "FP32")], request_id=f"rows-{start}",
            outputs=[httpclient.InferRequestedOutput("logits", binary_data=False)])))
    for start, request in pending:
        result = request.get_result()
        logits = result.as_numpy("logits")
        assert logits.dtype == np.float32 and logits.shape[1] == 10, logits.shape
        assert result.get_response()["id"] == f"rows-{start}", result.get_response()
        correct += int((logits.argmax(axis=1) == labels[start:start + len(logits)]).sum())
    accuracy = correct / len(inputs)
    assert abs(accuracy - 0.9778) < 0.001, f"held-out accuracy {accuracy}"
    print(f"held-out accuracy through tritonclient: {accuracy:.4f}")
    # The client's defaults: binary tensor data both ways (binary_data=True on the input, no
    # outputs named, so the request asks for every output in binary). Same logits as JSON.
    rows = inputs[:30]
    binary = httpclient.InferInput("input", list(rows.shape), "FP32")
    binary.set_data_from_numpy(rows)
    result = client.infer(name, [binary], request_id="binary")
    assert result.get_output("logits")["parameters"]["binary_data_size"] == 30 * 10 * 4, result.get_response()
    as_json = client.infer(name, [json_input("input", rows, "FP32")],
                           outputs=[httpclient.InferRequestedOutput("logits", binary_data=False)])
    assert np.array_equal(result.as_numpy("logits"), as_json.as_numpy("logits")), "binary == JSON"
    assert result.get_response()["id"] == "binary", result.get_response()
    print("tritonclient's default binary mode: the same logits as JSON")


def pair(client, name, metadata, _):
    a = np.array([[2, 2, 2, 2], [0.5, 0.5, 0.5, 0.5]], dtype=np.float32)
    b = np.array([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.float32)
    # b before a: inputs bind by name, not position.
    result = client.infer(name, [json_input("b", b, "FP32"), json_input("a", a, "FP32")],
                          outputs=[httpclient.InferRequestedOutput("product", binary_data=False)])
    product = result.as_numpy("product")
    assert np.allclose(product, a * b), product
    assert result.as_numpy("mix") is None, "only the requested output comes back"


def tokens(client, name, metadata, _):
    ids = np.array([[1, 2, 3, 4, 5, 6, 7, 99], [8, 7, 6, 5, 4, 3, 2, 1]], dtype=np.int64)
    result = client.infer(name, [json_input("tokens", ids, "INT64")],
                          outputs=[httpclient.InferRequestedOutput("output0", binary_data=False)])
    out = result.as_numpy("output0")
    assert out.shape == (2, 4) and out.dtype == np.float32, (out.shape, out.dtype)


def binary_input(name, array, datatype):
    tensor = httpclient.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array, binary_data=True)
    return tensor


def echo(client, name, metadata, _):
    # Every datatype at its edges, as JSON both ways, as binary tensor data both ways (the
    # client's default), and binary in with JSON out.
    for datatype, values in EVERY_DATATYPE.items():
        for make_input, binary_out in ((json_input, False), (binary_input, True), (binary_input, False)):
            result = client.infer(name, [make_input("x", values, datatype)],
                                  outputs=[httpclient.InferRequestedOutput("output0", binary_data=binary_out)])
            output = result.get_output("output0")
            assert output["datatype"] == datatype, (datatype, output["datatype"])
            assert ("parameters" in output) == binary_out, output
            back = result.as_numpy("output0")
            assert back.dtype == values.dtype and back.shape == values.shape, (datatype, back.dtype, back.shape)
            assert np.array_equal(back, values), (datatype, make_input.__name__, values.tolist(), back.tolist())
    # INT16 aborts the JVM inside DJL 0.35: refused with a 400 before it reaches libtorch.
    shorts = np.array([[1, 2]], dtype=np.int16)
    expect_error(lambda: client.infer(name, [json_input("x", shorts, "INT16")]),
                 "datatype INT16 is not supported by this server; send INT32")
    assert client.is_server_ready(), "still serving after an INT16 request"
    print(f"{len(EVERY_DATATYPE)} datatypes round-tripped exactly, as JSON and as binary: {', '.join(EVERY_DATATYPE)}")


def errors(client, name):
    expect_error(lambda: client.get_model_metadata("no-such-model"), "unknown model")
    expect_error(lambda: client.infer(name, [json_input("nope", np.zeros((1, 3), np.float32), "FP32")]),
                 "nope")
    # Binary tensor data whose size disagrees with its shape: a clear 4xx naming both.
    short = httpclient.InferInput("input", [1, 64], "FP32")
    short.set_data_from_numpy(np.zeros((1, 64), np.float32), binary_data=True)
    short.set_shape([2, 64])
    expect_error(lambda: client.infer(name, [short]), "binary_data_size 256 but shape [2, 64] of FP32 is 512 bytes")
    assert client.is_server_ready(), "still serving after the errors"


def expect_error(call, contains):
    try:
        call()
    except InferenceServerException as e:
        message = str(e)
        assert contains in message, message
        status = e.status()
        assert str(status).startswith("4"), f"status {status}: {message}"
        return
    raise AssertionError("expected an error")


if __name__ == "__main__":
    main(*sys.argv[1:])
