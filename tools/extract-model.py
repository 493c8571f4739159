#!/usr/bin/env python3
"""Write the slice of botocore's SageMaker model that Vernier serves.

Keeps the operations Vernier answers and every shape reachable from their inputs, outputs
and errors, with the constraints the validator needs; documentation is stripped.

    python3 tools/extract-model.py [OUTPUT]
"""
import json
import sys
from pathlib import Path

import botocore
import botocore.session

OPERATIONS = [
    "CreateHyperParameterTuningJob", "DescribeHyperParameterTuningJob",
    "ListHyperParameterTuningJobs", "StopHyperParameterTuningJob",
    "DeleteHyperParameterTuningJob", "AddTags", "ListTags", "DeleteTags",
    "DescribeTrainingJob", "ListTrainingJobs", "ListTrainingJobsForHyperParameterTuningJob",
    "StopTrainingJob",
]
SHAPE_KEYS = ["type", "required", "min", "max", "pattern", "enum", "exception", "sensitive"]
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / \
    "vernier-protocol/src/main/resources/dev/vernier/protocol/model/sagemaker-model.json"


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("sagemaker", "service-2")
    source = model["shapes"]
    shapes = {}

    def keep(name):
        if name in shapes:
            return
        shape = source[name]
        slim = {k: shape[k] for k in SHAPE_KEYS if k in shape}
        shapes[name] = slim
        if "members" in shape:
            slim["members"] = {m: {"shape": v["shape"]} for m, v in shape["members"].items()}
            for v in shape["members"].values():
                keep(v["shape"])
        for part in ("member", "key", "value"):
            if part in shape:
                slim[part] = {"shape": shape[part]["shape"]}
                keep(shape[part]["shape"])

    operations = {}
    for name in OPERATIONS:
        op = model["operations"][name]
        slim = {}
        for part in ("input", "output"):
            if part in op:
                slim[part] = op[part]["shape"]
                keep(op[part]["shape"])
        slim["errors"] = [e["shape"] for e in op.get("errors", [])]
        for e in slim["errors"]:
            keep(e)
        operations[name] = slim

    meta = model["metadata"]
    document = {
        "metadata": {
            "origin": "Extracted by tools/extract-model.py from botocore %s "
                      "(botocore/data/sagemaker/2017-07-24/service-2.json), "
                      "Copyright Amazon.com, Inc., Apache License 2.0; documentation removed."
                      % botocore.__version__,
            "apiVersion": meta["apiVersion"],
            "targetPrefix": meta["targetPrefix"],
            "jsonVersion": meta["jsonVersion"],
        },
        "operations": operations,
        "shapes": dict(sorted(shapes.items())),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=1) + "\n")
    print("%s: %d operations, %d shapes" % (out, len(operations), len(shapes)))


if __name__ == "__main__":
    main()
