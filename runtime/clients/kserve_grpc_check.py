"""Drives a running maas runtime's gRPC port with the KServe Python SDK's gRPC client
(kserve.InferenceGRPCClient, grpc.aio), as a KServe user's code would: liveness, readiness, model
readiness, inference with typed contents (data given as a list) and with raw contents (numpy, the
SDK's binary default), request ids, and an error. Exits 0 when every check passed. Usage:

  kserve_grpc_check.py HOST:PORT MODEL_NAME DATA_FILE   (the digits MLP, FP32 [-1, 64])
  kserve_grpc_check.py HOST:PORT MODEL_NAME --echo      (echo.pt: every datatype back)"""
import asyncio
import json
import sys

import grpc
import numpy as np
from kserve import InferenceGRPCClient, InferInput, InferRequest

from every_datatype import EVERY_DATATYPE


async def main(url, name, data_file):
    client = InferenceGRPCClient(url, retries=0, timeout=30)
    assert await client.is_server_live(), "server live"
    assert await client.is_server_ready(), "server ready"
    assert await client.is_model_ready(name), "model ready"
    if data_file == "--echo":
        await echo(client, name)
    else:
        await digits(client, name, data_file)
    await client.close()
    print("kserve grpc checks passed")


async def digits(client, name, data_file):
    data = json.load(open(data_file))
    inputs = np.array(data["inputs"], dtype=np.float32)
    labels = np.array(data["labels"])
    correct = 0
    for start in range(0, len(inputs), 30):
        rows = inputs[start:start + 30]
        typed = start % 60 == 0
        if typed:
            tensor = InferInput(name="input", shape=list(rows.shape), datatype="FP32",
                                data=rows.flatten().tolist())
        else:
            tensor = InferInput(name="input", shape=list(rows.shape), datatype="FP32")
            tensor.set_data_from_numpy(rows, binary_data=True)
        request = InferRequest(model_name=name, infer_inputs=[tensor], request_id=f"kserve-{start}")
        assert bool(request.to_grpc().raw_input_contents) != typed, "the form the check means to send"
        response = await client.infer(request)
        assert response.id == f"kserve-{start}", response.id
        logits = response.outputs[0].as_numpy()
        assert logits.shape == (len(rows), 10), logits.shape
        correct += int((logits.argmax(axis=1) == labels[start:start + len(rows)]).sum())
    accuracy = correct / len(inputs)
    assert abs(accuracy - 0.9778) < 0.001, f"held-out accuracy {accuracy}"
    bad = InferInput(name="input", shape=[1, 3], datatype="FP32", data=[1.0, 2.0, 3.0])
    try:
        await client.infer(InferRequest(model_name=name, infer_inputs=[bad]))
        raise AssertionError("a wrong shape was accepted")
    except grpc.aio.AioRpcError as e:
        assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, f"{e.code()}: {e.details()}"
    try:
        await client.is_model_ready("no-such-model")
        raise AssertionError("an unknown model was ready")
    except grpc.aio.AioRpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND, f"{e.code()}: {e.details()}"
    assert await client.is_server_ready(), "still serving after the errors"
    print(f"held-out accuracy through the KServe SDK over gRPC: {accuracy:.4f}")


async def echo(client, name):
    """Every datatype at its edges, back exactly with its own datatype: as typed contents (but
    FP16, which has no typed field) and as raw contents, FP16 included."""
    sent = 0
    for datatype, values in EVERY_DATATYPE.items():
        for raw in (False, True):
            if datatype == "FP16" and not raw:
                continue
            if raw:
                tensor = InferInput(name="x", shape=list(values.shape), datatype=datatype)
                tensor.set_data_from_numpy(values, binary_data=True)
            else:
                tensor = InferInput(name="x", shape=list(values.shape), datatype=datatype,
                                    data=values.flatten().tolist())
            response = await client.infer(InferRequest(model_name=name, infer_inputs=[tensor]))
            output = response.outputs[0]
            assert output.datatype == datatype, (datatype, output.datatype)
            back = output.as_numpy()
            assert back.dtype == values.dtype and back.shape == values.shape, (datatype, back.dtype)
            assert np.array_equal(back, values), (datatype, raw, values.tolist(), back.tolist())
            sent += 1
    print(f"{sent} tensors of {len(EVERY_DATATYPE)} datatypes round-tripped exactly through the KServe SDK"
          " over gRPC, as typed and as raw contents")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
