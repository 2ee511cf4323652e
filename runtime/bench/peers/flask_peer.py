"""The hand-rolled peer many teams start with: Flask (threaded) + torch, one forward pass per
request, speaking the same Open Inference Protocol JSON. Used only by serving-benchmark.sh, with
the peers' base environment (setup.sh), so it runs the same PyTorch as the other peers.

    python flask_peer.py MODEL.pt NAME PORT
"""
import logging
import sys

import torch
from flask import Flask, jsonify, request

model_path, name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
model = torch.jit.load(model_path).eval()
app = Flask(__name__)
logging.getLogger("werkzeug").setLevel(logging.ERROR)
DTYPES = {"FP32": torch.float32, "FP64": torch.float64, "INT64": torch.int64, "INT32": torch.int32}


@app.route(f"/v2/models/{name}/infer", methods=["POST"])
def infer():
    body = request.get_json()
    tensors = [
        torch.tensor(i["data"], dtype=DTYPES[i["datatype"]]).reshape(i["shape"]) for i in body["inputs"]
    ]
    with torch.no_grad():
        out = model(*tensors)
    outs = out if isinstance(out, tuple) else (out,)
    return jsonify(
        {
            "model_name": name,
            "outputs": [
                {"name": f"output{k}", "datatype": "FP32", "shape": list(o.shape), "data": o.flatten().tolist()}
                for k, o in enumerate(outs)
            ],
        }
    )


@app.route("/v2/health/ready")
@app.route(f"/v2/models/{name}/ready")
def ready():
    return ""


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=port, threaded=True)
