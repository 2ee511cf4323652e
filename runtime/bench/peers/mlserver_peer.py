"""Seldon MLServer serving the TorchScript model through a custom runtime, with MLServer's adaptive
batching and parallel inference workers. `mlserver start` loads it from the settings files that
write_settings() writes.

usage: mlserver_peer.py MODEL_FILE NAME PORT MAX_BATCH DELAY_MS WORKERS SETTINGS_DIR
"""
import json
import os
import sys

from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.types import InferenceRequest, InferenceResponse


class TorchScriptRuntime(MLModel):
    async def load(self) -> bool:
        from torchscript_model import TorchScriptModel

        self.model = TorchScriptModel(self.settings.parameters.uri, threads=1)
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        rows = NumpyCodec.decode_input(payload.inputs[0])
        result = self.model(rows)
        return InferenceResponse(
            model_name=self.name, outputs=[NumpyCodec.encode_output("output0", result)]
        )


def write_settings(path, name, port, max_batch, delay_ms, workers, directory):
    os.makedirs(directory, exist_ok=True)
    server = {
        "http_port": port,
        "grpc_port": port + 1,
        "metrics_port": port + 2,
        "parallel_workers": workers,
        "metrics_dir": os.path.join(os.path.abspath(directory), ".metrics"),
        "debug": False,
    }
    model = {
        "name": name,
        "implementation": "mlserver_peer.TorchScriptRuntime",
        "max_batch_size": max_batch,
        "max_batch_time": delay_ms / 1000.0,
        "parameters": {"uri": os.path.abspath(path)},
    }
    json.dump(server, open(os.path.join(directory, "settings.json"), "w"))
    json.dump(model, open(os.path.join(directory, "model-settings.json"), "w"))


if __name__ == "__main__":
    p, n, port, mb, delay, workers, d = sys.argv[1:8]
    write_settings(p, n, int(port), int(mb), float(delay), int(workers), d)
