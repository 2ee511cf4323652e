"""TorchServe handler for the serving benchmark: the TorchScript file on CPU with one torch thread
per worker; TorchServe's own batcher hands it up to batchSize requests at once, each body a JSON
list of one item's values; every request gets its row of the output back as a JSON list."""
import json
import os

import numpy as np
import torch

from ts.torch_handler.base_handler import BaseHandler


class TorchScriptRows(BaseHandler):
    def initialize(self, context):
        torch.set_num_threads(1)
        properties = context.system_properties
        manifest = context.manifest
        path = os.path.join(properties["model_dir"], manifest["model"]["serializedFile"])
        self.module = torch.jit.load(path, map_location="cpu").eval()
        self.item_shape = tuple(int(d) for d in os.environ["ITEM_SHAPE"].split(","))
        self.initialized = True

    def preprocess(self, requests):
        rows = []
        for request in requests:
            body = request.get("body") or request.get("data")
            if isinstance(body, (bytes, bytearray)):
                body = json.loads(body)
            rows.append(np.asarray(body, dtype=np.float32).reshape(self.item_shape))
        return torch.from_numpy(np.stack(rows))

    def inference(self, batch, *args, **kwargs):
        with torch.inference_mode():
            return self.module(batch)

    def postprocess(self, outputs):
        return [row.tolist() for row in outputs.numpy()]
