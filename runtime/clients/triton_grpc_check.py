"""Drives a running maas runtime's gRPC port with Triton's own gRPC client (tritonclient.grpc), as
a user's code would: health, server and model metadata, synchronous and asynchronous (callback)
inference with request ids and output selection, every datatype at its edges, errors as gRPC
status codes, and, when given, TLS and a bearer credential. Exits 0 when every check passed.
Usage:

  triton_grpc_check.py HOST:PORT MODEL_KIND MODEL_NAME [DATA_FILE] [--ca CA.pem] [--token T]

MODEL_KIND: digits (FP32 [-1,64] -> logits, held-out digits in DATA_FILE) or echo (x -> x).
tritonclient.grpc always sends tensors as raw_input_contents and reads raw_output_contents."""
import argparse
import json
import queue

import numpy as np
import tritonclient.grpc as grpcclient
from tritonclient.utils import InferenceServerException

from every_datatype import EVERY_DATATYPE


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("kind")
    parser.add_argument("name")
    parser.add_argument("data_file", nargs="?")
    parser.add_argument("--ca")
    parser.add_argument("--token")
    args = parser.parse_args()
    client = grpcclient.InferenceServerClient(
        url=args.url, ssl=args.ca is not None, root_certificates=args.ca)
    headers = {"authorization": f"Bearer {args.token}"} if args.token else None
    assert client.is_server_live(), "server live"
    assert client.is_server_ready(), "server ready"
    if args.token:
        expect_error(lambda: client.is_model_ready(args.name), "StatusCode.UNAUTHENTICATED",
                     "needs a credential")
        expect_error(lambda: client.is_model_ready(args.name, headers={"authorization": "Bearer wrong"}),
                     "StatusCode.UNAUTHENTICATED", "not a known API key")
        print("without the credential: UNAUTHENTICATED")
    assert client.is_model_ready(args.name, headers=headers), "model ready"
    server = client.get_server_metadata(as_json=True)
    assert server["name"] == "maas-runtime" and "binary_tensor_data" in server["extensions"], server
    metadata = client.get_model_metadata(args.name, headers=headers, as_json=True)
    assert metadata["name"] == args.name and metadata["platform"] == "pytorch_torchscript", metadata
    {"digits": digits, "echo": echo}[args.kind](client, args.name, metadata, args.data_file, headers)
    errors(client, args.name, headers)
    client.close()
    print(f"tritonclient.grpc: {args.kind} checks passed")


def raw_input(name, array, datatype):
    tensor = grpcclient.InferInput(name, list(array.shape), datatype)
    tensor.set_data_from_numpy(array)
    return tensor


def digits(client, name, metadata, data_file, headers):
    assert metadata["inputs"] == [{"name": "input", "datatype": "FP32", "shape": ["-1", "64"]}], metadata
    assert len(metadata["outputs"]) == 1, metadata
    out = metadata["outputs"][0]["name"]  # logits, or output0 where no names were given
    data = json.load(open(data_file))
    inputs = np.array(data["inputs"], dtype=np.float32)
    labels = np.array(data["labels"])
    # Requests of 30 rows, all in flight at once through the client's callback API.
    answers = queue.Queue()
    starts = list(range(0, len(inputs), 30))
    for start in starts:
        client.async_infer(name, [raw_input("input", inputs[start:start + 30], "FP32")],
                           callback=lambda result, error, start=start: answers.put((start, result, error)),
                           request_id=f"rows-{start}", headers=headers)
    correct = 0
    for _ in starts:
        start, result, error = answers.get(timeout=60)
        assert error is None, error
        assert result.get_response().id == f"rows-{start}", result.get_response().id
        logits = result.as_numpy(out)
        assert logits.dtype == np.float32 and logits.shape[1] == 10, logits.shape
        correct += int((logits.argmax(axis=1) == labels[start:start + len(logits)]).sum())
    accuracy = correct / len(inputs)
    assert abs(accuracy - 0.9778) < 0.001, f"held-out accuracy {accuracy}"
    print(f"held-out accuracy through tritonclient.grpc: {accuracy:.4f}")
    # Synchronous, with the output named.
    result = client.infer(name, [raw_input("input", inputs[:5], "FP32")],
                          outputs=[grpcclient.InferRequestedOutput(out)], request_id="sync",
                          headers=headers)
    assert result.get_response().id == "sync" and result.as_numpy(out).shape == (5, 10)


def echo(client, name, metadata, _, headers):
    for datatype, values in EVERY_DATATYPE.items():
        result = client.infer(name, [raw_input("x", values, datatype)], headers=headers)
        output = result.get_output("output0")
        assert output.datatype == datatype, (datatype, output.datatype)
        back = result.as_numpy("output0")
        assert back.dtype == values.dtype and back.shape == values.shape, (datatype, back.dtype, back.shape)
        assert np.array_equal(back, values), (datatype, values.tolist(), back.tolist())
    shorts = np.array([[1, 2]], dtype=np.int16)
    expect_error(lambda: client.infer(name, [raw_input("x", shorts, "INT16")], headers=headers),
                 "StatusCode.INVALID_ARGUMENT", "datatype INT16 is not supported by this server; send INT32")
    print(f"{len(EVERY_DATATYPE)} datatypes round-tripped exactly over gRPC: {', '.join(EVERY_DATATYPE)}")


def errors(client, name, headers):
    expect_error(lambda: client.get_model_metadata("no-such-model", headers=headers),
                 "StatusCode.NOT_FOUND", "unknown model 'no-such-model'")
    expect_error(lambda: client.infer(name, [raw_input("nope", np.zeros((1, 3), np.float32), "FP32")],
                                      headers=headers),
                 "StatusCode.INVALID_ARGUMENT", "nope")
    # Raw contents whose size disagrees with the shape: both numbers in the message.
    short = raw_input("x" if name == "echo" else "input", np.zeros((1, 64), np.float32), "FP32")
    short.set_shape([2, 64])
    expect_error(lambda: client.infer(name, [short], headers=headers),
                 "StatusCode.INVALID_ARGUMENT", "holds 256 bytes but shape [2, 64] of FP32 is 512 bytes")
    assert client.is_server_ready(), "still serving after the errors"


def expect_error(call, status, contains):
    try:
        call()
    except InferenceServerException as e:
        assert e.status() == status, f"{e.status()}: {e.message()}"
        assert contains in e.message(), e.message()
        return
    raise AssertionError(f"expected {status}")


if __name__ == "__main__":
    main()
