"""What every Python peer serves: a TorchScript file on CPU, one forward pass per call."""
import numpy as np
import torch


class TorchScriptModel:
    def __init__(self, path: str, threads: int):
        # As the runtime's workers: each forward pass gets `threads` intra-op threads.
        torch.set_num_threads(threads)
        self.module = torch.jit.load(path, map_location="cpu").eval()

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return self.module(torch.from_numpy(np.ascontiguousarray(rows))).numpy()
