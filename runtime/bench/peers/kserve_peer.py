"""KServe's Python ModelServer (the `kserve` package, FastAPI on uvicorn) serving the TorchScript
model over its V2 (OIP) REST endpoint. The package has no dynamic batching of its own (KServe
batches in a separate Go sidecar, the agent's batcher), so each request is one forward pass.

usage: kserve_peer.py MODEL_FILE NAME PORT WORKERS [--log_config_file kserve-logging.json]
(the access and trace logs, lines per request, are off in the benchmark: no other server writes them)
"""
import sys
import uuid

from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer

from torchscript_model import TorchScriptModel


class TorchScriptPeer(Model):
    def __init__(self, name: str, path: str):
        super().__init__(name)
        self.path = path

    def load(self) -> bool:
        self.model = TorchScriptModel(self.path, threads=1)
        self.ready = True
        return self.ready

    # With several workers, kserve pickles the model into each worker process; a TorchScript
    # module cannot be pickled, so each process loads its own.
    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("model", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.load()

    def predict(self, payload: InferRequest, headers=None, response_headers=None):
        result = self.model(payload.inputs[0].as_numpy())
        output = InferOutput(name="output0", shape=list(result.shape), datatype="FP32")
        output.set_data_from_numpy(result, binary_data=False)
        return InferResponse(
            model_name=self.name, infer_outputs=[output], response_id=payload.id or str(uuid.uuid4())
        )


if __name__ == "__main__":
    path, name, port, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    model = TorchScriptPeer(name, path)
    model.load()
    ModelServer(
        http_port=port, workers=workers, enable_grpc=False, enable_latency_logging=False
    ).start([model])
