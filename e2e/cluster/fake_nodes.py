"""Fake nodes for the local cluster, from the operator's configuration.

Prints a v1 List of Nodes: CPU nodes, and GPU nodes for every node pool in the configuration,
with the pool's nodeSelector as labels, a taint for every toleration it names, and its GPU
resource (nvidia.com/gpu, or a MIG profile) as capacity. So the real scheduler places a pool's pods
on that pool's nodes only, by nodeSelector, tolerations and resources.

usage: fake_nodes.py OPERATOR_CONFIG [CPU_NODES] [NODES_PER_POOL]
"""

import json
import sys

import yaml

GPUS_PER_NODE = 8
MIG_SLICES_PER_GPU = 7  # a 1g profile on an A100/H100 80GB


def node(name, labels, taints, extra_capacity):
    capacity = {"cpu": "32", "memory": "256Gi", "pods": "110", "ephemeral-storage": "500Gi"}
    capacity.update(extra_capacity)
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            # kwok manages only nodes with this annotation; other fake nodes can be played by
            # another agent.
            "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
            "labels": {
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
                "type": "kwok",
                **labels,
            },
        },
        "spec": {"taints": taints} if taints else {},
        "status": {"capacity": capacity, "allocatable": capacity},
    }


def taints_for(tolerations):
    taints = []
    for t in tolerations or []:
        if not t.get("key"):
            continue  # a toleration of every taint needs no taint
        taint = {"key": t["key"], "effect": t.get("effect") or "NoSchedule"}
        if t.get("operator", "Equal") == "Equal" and t.get("value"):
            taint["value"] = t["value"]
        taints.append(taint)
    return taints


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        config = yaml.safe_load(f) or {}
    cpu_nodes = int(argv[2]) if len(argv) > 2 else 2
    per_pool = int(argv[3]) if len(argv) > 3 else 2
    nodes = [node(f"cpu-{i}", {"maas.dev/pool": "cpu"}, [], {}) for i in range(cpu_nodes)]
    for pool, spec in sorted((config.get("nodePools") or {}).items()):
        spec = spec or {}
        resource = spec.get("gpuResource") or "nvidia.com/gpu"
        count = GPUS_PER_NODE * (MIG_SLICES_PER_GPU if "/mig-" in resource else 1)
        labels = {str(k): str(v) for k, v in (spec.get("nodeSelector") or {}).items()}
        labels["maas.dev/pool"] = pool
        for i in range(per_pool):
            nodes.append(
                node(f"{pool}-{i}", labels, taints_for(spec.get("tolerations")), {resource: str(count)})
            )
    json.dump({"apiVersion": "v1", "kind": "List", "items": nodes}, sys.stdout, indent=1)


if __name__ == "__main__":
    main(sys.argv)
