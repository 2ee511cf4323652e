#!/usr/bin/python3
"""Creates the small TorchScript models that the tests, examples and benchmarks use.

Run with Debian's own PyTorch, never a Python from elsewhere on the PATH:

    apt-get install python3-torch python3-sklearn
    /usr/bin/python3 examples/models/make_models.py
    python examples/models/make_models.py --only echo.pt   # one model, entry merged into models.json

Everything is seeded and single-threaded, so re-running writes byte-identical files.
The outputs are committed so that neither the tests nor CI ever need Python.

Files written next to this script:
  digits_mlp.pt          MLP on scikit-learn's digits: input FP32 [-1, 64] -> 10 logits
  digits_cnn.pt          CNN on the same digits as 1x8x8 images (upsampled to 32x32 inside
                         the model, so it is compute-bound): FP32 [-1, 1, 8, 8] -> 10 logits
  two_inputs.pt          two FP32 [-1, 4] inputs -> two outputs (a linear mix and a product)
  token_classifier.pt    INT64 token ids [-1, 8] -> 4 logits (embedding bag + linear)
  digits_mlp_qdynamic.pt the MLP after torch's own quantize_dynamic (int8 Linear kernels)
  digits_mlp_scrambled.pt  the MLP with its classes shuffled: same signature, wrong answers
  digits_mlp_nan_rows.pt   the MLP, NaN for the fifth of digits with the most ink (the server's 500)
  digits_mlp_slow.pt       the MLP's answers after ~70 ms of extra work per forward pass
                         (these three are canary candidates made from digits_mlp.pt: --only NAME)
  digits_student.pt      an untrained student for the digits MLP (64 -> 32 -> 10, 2,410 parameters
                         against the MLP's 167,178), for compress --method Distill (--only NAME)
  digits_unlabelled.safetensors  the MLP's training split, inputs only ("input": F32 [1437, 64]):
                         Distill's --data (--only NAME)
  echo.pt                returns its input x unchanged, of any datatype (scripted, not traced):
                         the Open Inference Protocol datatypes' round trip
  digits_test.json       the held-out labelled split: {"inputs": [[64 floats]...], "labels": [...]}
  models.json            per model: signature, bytes, sha256 and held-out accuracy
"""

import hashlib
import json
import os
import random

import numpy as np
import torch
from torch import nn

SEED = 20261123
HERE = os.path.dirname(os.path.abspath(__file__))


def seed_everything():
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


class DigitsMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10)
        )

    def forward(self, x):
        return self.net(x)


class DigitsCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(128 * 8 * 8, 10)

    def forward(self, x):
        x = nn.functional.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
        x = self.features(x)
        return self.classifier(torch.flatten(x, 1))


class TwoInputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.mix = nn.Linear(8, 3)

    def forward(self, a, b):
        return self.mix(torch.cat([a, b], dim=1)), a * b


class TokenClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.EmbeddingBag(100, 16, mode="mean")
        self.head = nn.Linear(16, 4)

    def forward(self, tokens):
        return self.head(self.embedding(tokens))


class Echo(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.clone()


def train(model, x, y, epochs, batch_size=64, lr=1e-3):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        for start in range(0, len(x), batch_size):
            idx = order[start : start + batch_size]
            optimizer.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            optimizer.step()
    model.eval()
    return model


def accuracy(model, x, y):
    with torch.no_grad():
        return float((model(x).argmax(dim=1) == y).float().mean())


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def save(module, name, example_inputs):
    scripted = torch.jit.trace(module, example_inputs)
    path = os.path.join(HERE, name)
    torch.jit.save(scripted, path)
    return path


def make_echo():
    """Scripted: a trace would record one datatype; the script's forward takes any."""
    torch.jit.save(torch.jit.script(Echo().eval()), os.path.join(HERE, "echo.pt"))
    return {
        "inputs": [{"name": "x", "datatype": "any", "shape": [-1, -1]}],
        "outputs": [{"name": "output0", "datatype": "same as x", "shape": [-1, -1]}],
        "heldOutAccuracy": None,
    }


DIGITS_SIGNATURE = {
    "inputs": [{"name": "input", "datatype": "FP32", "shape": [-1, 64]}],
    "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 10]}],
}


def load_mlp():
    """The committed MLP: the canary candidates below are made from it, with no training."""
    return torch.jit.load(os.path.join(HERE, "digits_mlp.pt")).eval()


def held_out():
    test = json.load(open(os.path.join(HERE, "digits_test.json")))
    return torch.tensor(test["inputs"], dtype=torch.float32), torch.tensor(test["labels"])


def make_scrambled():
    """Loads and answers like the MLP, with its classes shuffled: a canary must refuse it."""
    seed_everything()
    mlp = load_mlp()
    last = mlp.net._modules["4"]
    perm = torch.randperm(10, generator=torch.Generator().manual_seed(SEED))
    with torch.no_grad():
        last.weight.copy_(last.weight[perm].clone())
        last.bias.copy_(last.bias[perm].clone())
    torch.jit.save(mlp, os.path.join(HERE, "digits_mlp_scrambled.pt"))
    x, y = held_out()
    return dict(DIGITS_SIGNATURE, heldOutAccuracy=accuracy(mlp, x, y))


class NanForSomeRows(nn.Module):
    def __init__(self, mlp, threshold: float):
        super().__init__()
        self.mlp = mlp
        self.threshold = threshold

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.mlp(x)
        bad = (x.sum(dim=1) > self.threshold).unsqueeze(1)
        return torch.where(bad, torch.full_like(y, float("nan")), y)


def make_nan_rows():
    """The MLP, but NaN (so the server's 500) for the fifth of digits with the most ink."""
    seed_everything()
    x, y = held_out()
    threshold = float(torch.quantile(x.sum(dim=1), 0.8))
    module = torch.jit.script(NanForSomeRows(load_mlp(), threshold).eval())
    torch.jit.save(module, os.path.join(HERE, "digits_mlp_nan_rows.pt"))
    failing = float((x.sum(dim=1) > threshold).float().mean())
    return dict(DIGITS_SIGNATURE, heldOutAccuracy=None, heldOutShareNaN=round(failing, 4))


class SlowMlp(nn.Module):
    def __init__(self, mlp, rounds: int):
        super().__init__()
        self.mlp = mlp
        self.rounds = rounds
        self.spin = nn.Parameter(torch.eye(256) * 0.5, requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = torch.ones(64, 256)
        for _ in range(self.rounds):
            z = torch.tanh(z @ self.spin)
        # Used, so no optimizer drops the loop: adds exactly 0 to every logit.
        return self.mlp(x) + 0.0 * z[0, 0]


def make_slow():
    """The MLP's answers, after work that adds tens of milliseconds to every forward pass (~70 ms through DJL on 2 cores)."""
    seed_everything()
    module = torch.jit.script(SlowMlp(load_mlp(), 300).eval())
    torch.jit.save(module, os.path.join(HERE, "digits_mlp_slow.pt"))
    x, y = held_out()
    return dict(DIGITS_SIGNATURE, heldOutAccuracy=accuracy(module, x, y))


class DigitsStudent(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))

    def forward(self, x):
        return self.net(x)


def make_student():
    """Distill's student for the MLP: same input and output, seeded initial weights, never trained."""
    seed_everything()
    student = DigitsStudent().eval()
    torch.jit.save(torch.jit.trace(student, torch.zeros(2, 64)), os.path.join(HERE, "digits_student.pt"))
    x, y = held_out()
    parameters = sum(p.numel() for p in student.parameters())
    return dict(DIGITS_SIGNATURE, heldOutAccuracy=accuracy(student, x, y), parameters=parameters)


def digits_split():
    """scikit-learn's digits, split exactly as main() splits them for training the models."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    features = (digits.data / 16.0).astype(np.float32)
    return train_test_split(
        features, digits.target, test_size=0.2, random_state=SEED, stratify=digits.target
    )


def write_safetensors(path, tensors):
    """The safetensors layout (little-endian F32 only), written by hand: Debian has no package."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def make_unlabelled():
    """The training split's inputs without labels: what a user has before anyone labels it."""
    x_train, _, _, _ = digits_split()
    write_safetensors(os.path.join(HERE, "digits_unlabelled.safetensors"), {"input": x_train})
    return {"inputs": [{"name": "input", "datatype": "FP32", "shape": [len(x_train), 64]}], "heldOutAccuracy": None}


SINGLE_MODELS = {
    "digits_student.pt": make_student,
    "digits_unlabelled.safetensors": make_unlabelled,
    "echo.pt": make_echo,
    "digits_mlp_scrambled.pt": make_scrambled,
    "digits_mlp_nan_rows.pt": make_nan_rows,
    "digits_mlp_slow.pt": make_slow,
}


def make_only(name):
    """Writes one model that needs no training, keeping every other file as it is."""
    index_path = os.path.join(HERE, "models.json")
    index = json.load(open(index_path))
    info = SINGLE_MODELS[name]()
    path = os.path.join(HERE, name)
    info["bytes"] = os.path.getsize(path)
    info["sha256"] = sha256(path)
    info["torch"] = torch.__version__
    index["models"][name] = info
    with open(index_path, "w") as f:
        json.dump(index, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{name:26s} {info['bytes']:8d} bytes  torch {torch.__version__}")


def main():
    seed_everything()
    x_train, x_test, y_train, y_test = digits_split()
    x_train, x_test = torch.from_numpy(x_train), torch.from_numpy(x_test)
    y_train, y_test = torch.from_numpy(y_train).long(), torch.from_numpy(y_test).long()
    images_train, images_test = x_train.reshape(-1, 1, 8, 8), x_test.reshape(-1, 1, 8, 8)

    models = {}

    mlp = train(DigitsMlp(), x_train, y_train, epochs=40)
    save(mlp, "digits_mlp.pt", x_test[:2])
    models["digits_mlp.pt"] = {
        "inputs": [{"name": "input", "datatype": "FP32", "shape": [-1, 64]}],
        "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 10]}],
        "heldOutAccuracy": accuracy(mlp, x_test, y_test),
    }

    cnn = train(DigitsCnn(), images_train, y_train, epochs=8)
    save(cnn, "digits_cnn.pt", images_test[:2])
    models["digits_cnn.pt"] = {
        "inputs": [{"name": "input", "datatype": "FP32", "shape": [-1, 1, 8, 8]}],
        "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 10]}],
        "heldOutAccuracy": accuracy(cnn, images_test, y_test),
    }

    two = TwoInputs().eval()
    save(two, "two_inputs.pt", (torch.rand(2, 4), torch.rand(2, 4)))
    models["two_inputs.pt"] = {
        "inputs": [
            {"name": "a", "datatype": "FP32", "shape": [-1, 4]},
            {"name": "b", "datatype": "FP32", "shape": [-1, 4]},
        ],
        "outputs": [
            {"name": "mix", "datatype": "FP32", "shape": [-1, 3]},
            {"name": "product", "datatype": "FP32", "shape": [-1, 4]},
        ],
        "heldOutAccuracy": None,
    }

    tokens = TokenClassifier().eval()
    save(tokens, "token_classifier.pt", torch.randint(0, 100, (2, 8), dtype=torch.int64))
    models["token_classifier.pt"] = {
        "inputs": [{"name": "tokens", "datatype": "INT64", "shape": [-1, 8]}],
        "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 4]}],
        "heldOutAccuracy": None,
    }

    # Debian's torch has no FBGEMM; the packed weights serialize engine-neutrally, so libtorch
    # repacks them for its own engine when DJL loads the file.
    torch.backends.quantized.engine = "qnnpack"
    quantized = torch.ao.quantization.quantize_dynamic(mlp, {nn.Linear}, dtype=torch.qint8)
    save(quantized, "digits_mlp_qdynamic.pt", x_test[:2])
    models["digits_mlp_qdynamic.pt"] = {
        "inputs": [{"name": "input", "datatype": "FP32", "shape": [-1, 64]}],
        "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 10]}],
        "heldOutAccuracy": accuracy(quantized, x_test, y_test),
    }

    models["echo.pt"] = make_echo()

    with open(os.path.join(HERE, "digits_test.json"), "w") as f:
        json.dump(
            {
                "description": "held-out 20% of scikit-learn digits, pixels scaled to [0, 1]",
                "inputs": [[round(float(v), 4) for v in row] for row in x_test],
                "labels": [int(v) for v in y_test],
            },
            f,
            separators=(",", ":"),
        )

    for name, info in models.items():
        path = os.path.join(HERE, name)
        info["bytes"] = os.path.getsize(path)
        info["sha256"] = sha256(path)
        if info["heldOutAccuracy"] is not None:
            info["heldOutAccuracy"] = round(info["heldOutAccuracy"], 4)
    with open(os.path.join(HERE, "models.json"), "w") as f:
        json.dump(
            {"torch": torch.__version__, "seed": SEED, "testSamples": len(y_test), "models": models},
            f,
            indent=2,
            sort_keys=True,
        )
        f.write("\n")
    for name, info in models.items():
        print(f"{name:26s} {info['bytes']:8d} bytes  accuracy={info['heldOutAccuracy']}")


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--only":
        make_only(sys.argv[2])
    else:
        main()
