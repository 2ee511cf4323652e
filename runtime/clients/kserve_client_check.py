"""Drives a running maas runtime with the KServe Python SDK's REST client
(kserve.InferenceRESTClient, protocol v2), as a KServe user's code would: liveness, readiness,
model readiness, inference with a request id, and an error. Exits 0 when every check passed.
Usage: kserve_client_check.py BASE_URL MODEL_NAME DATA_FILE   (the digits MLP, FP32 [-1, 64])
       kserve_client_check.py BASE_URL MODEL_NAME --echo      (echo.pt: every datatype back)"""
import asyncio
import json
import sys

import numpy as np
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig

from every_datatype import EVERY_DATATYPE


async def main(base_url, name, data_file):
    client = InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=30))
    assert await client.is_server_live(base_url), "server live"
    assert await client.is_server_ready(base_url), "server ready"
    assert await client.is_model_ready(base_url, name), "model ready"
    if data_file == "--echo":
        await echo(client, base_url, name)
        await client.close()
        print("kserve checks passed")
        return
    data = json.load(open(data_file))
    inputs = np.array(data["inputs"], dtype=np.float32)
    labels = np.array(data["labels"])
    correct = 0
    for start in range(0, len(inputs), 30):
        rows = inputs[start:start + 30]
        tensor = InferInput(name="input", shape=list(rows.shape), datatype="FP32")
        tensor.set_data_from_numpy(rows, binary_data=False)
        request = InferRequest(model_name=name, infer_inputs=[tensor], request_id=f"kserve-{start}")
        response = await client.infer(base_url, request, model_name=name)
        assert response.id == f"kserve-{start}", response.id
        logits = response.outputs[0].as_numpy()
        assert logits.shape == (len(rows), 10), logits.shape
        correct += int((logits.argmax(axis=1) == labels[start:start + len(rows)]).sum())
    accuracy = correct / len(inputs)
    assert abs(accuracy - 0.9778) < 0.001, f"held-out accuracy {accuracy}"
    bad = InferInput(name="input", shape=[1, 3], datatype="FP32", data=[1.0, 2.0, 3.0])
    try:
        await client.infer(base_url, InferRequest(model_name=name, infer_inputs=[bad]), model_name=name)
        raise AssertionError("a wrong shape was accepted")
    except Exception as e:  # the SDK raises httpx.HTTPStatusError for a 4xx
        status = getattr(getattr(e, "response", None), "status_code", None)
        assert status == 400, f"{type(e).__name__}: {e}"
    assert await client.is_server_ready(base_url), "still serving after the error"
    await client.close()
    print(f"held-out accuracy through the KServe SDK: {accuracy:.4f}")
    print("kserve checks passed")


async def echo(client, base_url, name):
    """Every datatype the runtime serves, at its edges, back exactly with its own datatype: as JSON,
    but FP16, which the SDK refuses to send as JSON ("Sending FP16 data via JSON is not
    supported"), and as binary tensor data, FP16 included."""
    sent = 0
    for datatype, values in EVERY_DATATYPE.items():
        for binary in (False, True):
            if datatype == "FP16" and not binary:
                continue
            tensor = InferInput(name="x", shape=list(values.shape), datatype=datatype)
            tensor.set_data_from_numpy(values, binary_data=binary)
            response = await client.infer(
                base_url, InferRequest(model_name=name, infer_inputs=[tensor]), model_name=name)
            output = response.outputs[0]
            assert output.datatype == datatype, (datatype, output.datatype)
            back = output.as_numpy()
            assert back.dtype == values.dtype and back.shape == values.shape, (datatype, back.dtype)
            assert np.array_equal(back, values), (datatype, binary, values.tolist(), back.tolist())
            sent += 1
    print(f"{sent} tensors of {len(EVERY_DATATYPE)} datatypes round-tripped exactly through the KServe SDK,"
          " as JSON and as binary tensor data")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
