"""TorchServe: the TorchScript model archived with torch-model-archiver and a handler of ours
(torchserve_handler.py), batched by TorchServe's own batcher, served on its own /predictions API
(one JSON list of an item's values per request). Runs TorchServe in the foreground.

usage: torchserve_peer.py MODEL_FILE NAME PORT ITEM_SHAPE MAX_BATCH DELAY_MS WORKERS WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

path, name, port, item_shape, max_batch, delay_ms, workers, work = sys.argv[1:9]
here = os.path.dirname(os.path.abspath(__file__))
bin_dir = os.path.dirname(sys.executable)
store = os.path.join(work, "store")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(store)
subprocess.run(
    [os.path.join(bin_dir, "torch-model-archiver"), "--model-name", name, "--version", "1.0",
     "--serialized-file", path, "--handler", os.path.join(here, "torchserve_handler.py"),
     "--export-path", store], check=True)
models = {name: {"1.0": {"defaultVersion": True, "marName": f"{name}.mar",
                          "minWorkers": int(workers), "maxWorkers": int(workers),
                          "batchSize": int(max_batch), "maxBatchDelay": int(float(delay_ms)),
                          "responseTimeout": 120}}}
config = os.path.join(work, "config.properties")
with open(config, "w") as f:
    f.write(f"""inference_address=http://127.0.0.1:{port}
management_address=http://127.0.0.1:{int(port) + 1}
metrics_address=http://127.0.0.1:{int(port) + 2}
model_store={store}
load_models={name}.mar
models={json.dumps(models)}
disable_token_authorization=true
install_py_dep_per_model=false
default_response_timeout=120
vmargs=-Xmx1g -XX:+UseParallelGC
""")
os.environ["ITEM_SHAPE"] = item_shape
# TorchServe writes its logs under ./logs unless told otherwise: into the work directory instead.
os.environ["LOG_LOCATION"] = os.path.join(work, "logs")
os.environ["METRICS_LOCATION"] = os.path.join(work, "logs")
os.environ["TS_DISABLE_SYSTEM_METRICS"] = "true"
os.execv(os.path.join(bin_dir, "torchserve"),
         ["torchserve", "--start", "--foreground", "--ncs", "--disable-token-auth",
          "--model-store", store, "--ts-config", config])
