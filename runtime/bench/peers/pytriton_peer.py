"""Triton Inference Server through PyTriton: the TorchScript model as a Python inference callable,
batched by Triton's own dynamic batcher, served over Triton's KServe V2 (OIP) HTTP endpoint.

usage: pytriton_peer.py MODEL_FILE NAME PORT ITEM_SHAPE(64 or 1,8,8) MAX_BATCH DELAY_MS INSTANCES
"""
import sys

import numpy as np
from pytriton.decorators import batch
from pytriton.model_config import DynamicBatcher, ModelConfig, Tensor
from pytriton.triton import Triton, TritonConfig

from torchscript_model import TorchScriptModel

path, name, port, item_shape, max_batch, delay_ms, instances = sys.argv[1:8]
port, max_batch, instances = int(port), int(max_batch), int(instances)
item_shape = tuple(int(d) for d in item_shape.split(","))


def make_callable():
    model = TorchScriptModel(path, threads=1)

    @batch
    def infer(input):
        return {"output0": model(input)}

    return infer


config = TritonConfig(http_port=port, grpc_port=port + 1, metrics_port=port + 2, log_verbose=0)
with Triton(config=config) as triton:
    triton.bind(
        model_name=name,
        # One callable per model instance: Triton runs them side by side, as the runtime's workers.
        infer_func=[make_callable() for _ in range(instances)],
        inputs=[Tensor(name="input", dtype=np.float32, shape=item_shape)],
        outputs=[Tensor(name="output0", dtype=np.float32, shape=(-1,))],
        config=ModelConfig(
            max_batch_size=max_batch,
            batcher=DynamicBatcher(max_queue_delay_microseconds=int(float(delay_ms) * 1000)),
        ),
        strict=False,
    )
    triton.serve()
