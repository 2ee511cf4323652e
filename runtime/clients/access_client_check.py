"""Calls a protected maas runtime the way users' code would: Triton's tritonclient.http and the
KServe SDK's InferenceRESTClient, each with 'Authorization: Bearer <key>' passed as their own
headers argument, and, with --ca, over HTTPS verified against that CA (tritonclient ssl=True, the
SDK's verify=). Checks: without a credential and with a wrong one the model answers 401 (health
stays open), with the key it answers correctly. Exits 0 when every check passed.
Usage: access_client_check.py HOST:PORT MODEL_NAME KEY [--ca CA_FILE]   (the digits MLP)"""
import asyncio
import ssl
import sys

import numpy as np
import tritonclient.http as httpclient
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig
from tritonclient.utils import InferenceServerException

ROW = np.linspace(0.0, 1.0, 64, dtype=np.float32).reshape(1, 64)


def triton(address, name, key, ca):
    if ca:
        client = httpclient.InferenceServerClient(
            url=address, ssl=True, ssl_context_factory=lambda: ssl.create_default_context(cafile=ca))
    else:
        client = httpclient.InferenceServerClient(url=address)
    assert client.is_server_live(), "health is open without a credential"
    assert client.is_server_ready(), "readiness is open without a credential"
    tensor = httpclient.InferInput("input", [1, 64], "FP32")
    tensor.set_data_from_numpy(ROW, binary_data=False)
    output = httpclient.InferRequestedOutput("output0", binary_data=False)
    for headers, what in ((None, "no credential"), ({"Authorization": "Bearer not-a-key"}, "a wrong key")):
        try:
            client.infer(name, [tensor], outputs=[output], headers=headers)
            raise AssertionError(f"answered with {what}")
        except InferenceServerException as e:
            assert e.status() == "401", f"{what}: {e.status()} {e.message()}"
    good = {"Authorization": f"Bearer {key}"}
    metadata = client.get_model_metadata(name, headers=good)
    assert metadata["name"] == name, metadata
    result = client.infer(name, [tensor], outputs=[output], headers=good)
    logits = result.as_numpy("output0")
    assert logits.shape == (1, 10), logits.shape
    client.close()
    return int(logits.argmax())


async def kserve(address, name, key, ca):
    scheme = "https" if ca else "http"
    base = f"{scheme}://{address}"
    client = InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=30, verify=ca or True))
    assert await client.is_server_ready(base), "readiness is open"
    tensor = InferInput(name="input", shape=[1, 64], datatype="FP32")
    tensor.set_data_from_numpy(ROW, binary_data=False)
    request = InferRequest(model_name=name, infer_inputs=[tensor], request_id="kserve-protected")
    try:
        await client.infer(base, request, model_name=name)
        raise AssertionError("answered without a credential")
    except Exception as e:  # httpx.HTTPStatusError
        status = getattr(getattr(e, "response", None), "status_code", None)
        assert status == 401, f"{type(e).__name__}: {e}"
    response = await client.infer(
        base, request, model_name=name, headers={"Authorization": f"Bearer {key}"})
    assert response.id == "kserve-protected", response.id
    logits = response.outputs[0].as_numpy()
    await client.close()
    return int(logits.argmax())


def main(address, name, key, ca=None):
    by_triton = triton(address, name, key, ca)
    by_kserve = asyncio.run(kserve(address, name, key, ca))
    assert by_triton == by_kserve, (by_triton, by_kserve)
    print(f"access checks passed ({'https' if ca else 'http'}, class {by_triton})")


if __name__ == "__main__":
    args = sys.argv[1:]
    ca = None
    if "--ca" in args:
        i = args.index("--ca")
        ca = args[i + 1]
        del args[i:i + 2]
    main(*args, ca=ca)
