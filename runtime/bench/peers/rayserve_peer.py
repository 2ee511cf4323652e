"""Ray Serve: the TorchScript model in a deployment of 2 replicas, batched by @serve.batch at
MAX_BATCH rows / DELAY_MS, on Ray Serve's HTTP proxy at /predictions/NAME (one JSON list of an
item's values per request, as TorchServe's peer takes).

usage: rayserve_peer.py MODEL_FILE NAME PORT ITEM_SHAPE MAX_BATCH DELAY_MS REPLICAS
"""
import logging
import sys
import time

import numpy as np
import ray
from ray import serve
from starlette.requests import Request

from torchscript_model import TorchScriptModel

path, name, port, item_shape, max_batch, delay_ms, replicas = sys.argv[1:8]
item_shape = tuple(int(d) for d in item_shape.split(","))
max_batch, replicas = int(max_batch), int(replicas)
wait_s = float(delay_ms) / 1000


@serve.deployment(num_replicas=replicas, ray_actor_options={"num_cpus": 0},
                  max_ongoing_requests=256, logging_config={"log_level": "WARNING"})
class Rows:
    def __init__(self):
        self.model = TorchScriptModel(path, threads=1)

    @serve.batch(max_batch_size=max_batch, batch_wait_timeout_s=wait_s)
    async def forward(self, rows):
        return list(self.model(np.stack(rows)))

    async def __call__(self, request: Request):
        row = np.asarray(await request.json(), dtype=np.float32).reshape(item_shape)
        return (await self.forward(row)).tolist()


ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False)
serve.start(http_options={"host": "127.0.0.1", "port": int(port)},
            logging_config={"log_level": "WARNING", "enable_access_log": False})
serve.run(Rows.bind(), name=name, route_prefix=f"/predictions/{name}")
print("ray serve ready", flush=True)
while True:
    time.sleep(3600)
