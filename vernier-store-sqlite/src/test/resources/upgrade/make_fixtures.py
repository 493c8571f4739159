#!/usr/bin/env python3
"""Drives an old Vernier server with boto3 to write one upgrade fixture (see README.md).

usage: make_fixtures.py v1|v2|v3 ENDPOINT PROGRAMS_DIR OBSERVED_JSON

Creates the tuning jobs of that schema version, waits until each is terminal (except v3-inprogress),
then writes what the old server's Describe/List calls answered to OBSERVED_JSON: the values that
SchemaUpgradeTest expects to read back through the new store.
"""
import json
import sys
import time

import boto3

VERSION, ENDPOINT, PROGRAMS, OBSERVED = sys.argv[1:5]
sm = boto3.client("sagemaker", endpoint_url=ENDPOINT, region_name="us-east-1",
                  aws_access_key_id="AKIAUPGRADEUPGRADE00",
                  aws_secret_access_key="upgrade-secret-0123456789abcdefghijkl")
TERMINAL = {"Completed", "Failed", "Stopped"}
LR = {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}


def create(name, program, *, strategy="Random", jobs=4, parallel=2, ranges=None, env=None, static=None,
           tags=None, seed=7, **config):
    request = {
        "HyperParameterTuningJobName": name,
        "HyperParameterTuningJobConfig": {
            "Strategy": strategy, "RandomSeed": seed,
            "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
            "ResourceLimits": {"MaxNumberOfTrainingJobs": jobs, "MaxParallelTrainingJobs": parallel},
            "ParameterRanges": ranges or LR, **config},
        "TrainingJobDefinition": {
            "AlgorithmSpecification": {
                "TrainingImage": f"file://{PROGRAMS}/{program}", "TrainingInputMode": "File",
                "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.eE+-]+)"},
                                      {"Name": "epoch", "Regex": "epoch=([0-9]+)"}]},
            "StaticHyperParameters": static or {"batch_size": "32"},
            "Environment": env or {},
            "RoleArn": "arn:aws:iam::123456789012:role/vernier-upgrade",
            "OutputDataConfig": {"S3OutputPath": f"s3://upgrade/{VERSION}"},
            "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
            "StoppingCondition": {"MaxRuntimeInSeconds": 300}}}
    if tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    sm.create_hyper_parameter_tuning_job(**request)


def describe(name):
    return sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)


def wait(name, statuses=TERMINAL, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = describe(name)
        if d["HyperParameterTuningJobStatus"] in statuses:
            return d
        time.sleep(0.5)
    raise SystemExit(f"{name} did not reach {statuses} in {timeout} s")


def training_jobs(name):
    out, token = [], None
    while True:
        page = sm.list_training_jobs_for_hyper_parameter_tuning_job(
            HyperParameterTuningJobName=name, **({"NextToken": token} if token else {}))
        out += page["TrainingJobSummaries"]
        token = page.get("NextToken")
        if not token:
            return out


def wait_running(name, count=1, timeout=120):
    """Until `count` training jobs of `name` run and each has reported an objective value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        running = [j for j in training_jobs(name) if j["TrainingJobStatus"] == "InProgress"]
        reported = [j for j in running if any(m["MetricName"] == "loss" for m in sm.describe_training_job(
            TrainingJobName=j["TrainingJobName"]).get("FinalMetricDataList", []))]
        if len(reported) >= count:
            return
        time.sleep(0.3)
    raise SystemExit(f"{name}: no running training job with metrics in {timeout} s")


def stop(name):
    sm.stop_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)


def millis(t):
    return None if t is None else round(t.timestamp() * 1000)


def observe(names):
    """What the old server answers, with timestamps as epoch milliseconds."""
    def plain(v):
        if hasattr(v, "timestamp"):
            return millis(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items() if k != "ResponseMetadata"}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v
    out = {}
    for name in names:
        d = describe(name)
        jobs = [sm.describe_training_job(TrainingJobName=j["TrainingJobName"])
                for j in training_jobs(name)] if VERSION != "v1" else []
        tags = sm.list_tags(ResourceArn=d["HyperParameterTuningJobArn"])["Tags"]
        out[name] = plain({"Describe": d, "Tags": tags, "TrainingJobs": jobs})
    return out


if VERSION == "v1":
    # 0b14358: no training jobs run yet; a job stays InProgress until stopped.
    create("v1-random", "quadratic.sh", tags={"team": "vision", "owner": "alice"})
    create("v1-grid", "quadratic.sh", strategy="Grid", jobs=3,
           ranges={"CategoricalParameterRanges": [{"Name": "lr", "Values": ["0.02", "0.05", "0.08"]}]})
    create("V1-Bayesian-Mixed-Case", "quadratic.sh", strategy="Bayesian", jobs=10, parallel=3,
           ranges={**LR, "IntegerParameterRanges": [{"Name": "layers", "MinValue": "1", "MaxValue": "4"}]},
           tags={"stage": "dev"})
    create("v1-tags-changed", "quadratic.sh", tags={"a": "1", "b": "2", "c": "3"})
    arn = describe("v1-tags-changed")["HyperParameterTuningJobArn"]
    sm.add_tags(ResourceArn=arn, Tags=[{"Key": "d", "Value": "4"}, {"Key": "a", "Value": "one"}])
    sm.delete_tags(ResourceArn=arn, TagKeys=["b"])
    create("v1-deleted", "quadratic.sh", tags={"gone": "yes"})
    names = ["v1-random", "v1-grid", "V1-Bayesian-Mixed-Case", "v1-tags-changed", "v1-deleted"]
    for n in names:
        stop(n)
    for n in names:
        wait(n)
    sm.delete_hyper_parameter_tuning_job(HyperParameterTuningJobName="v1-deleted")
    names.remove("v1-deleted")
elif VERSION == "v2":
    # 848d4d9: Random, Grid and Bayesian run; Hyperband, early stopping and completion criteria do not.
    create("v2-random", "quadratic.sh", env={"EPOCHS": "3"}, tags={"team": "vision", "owner": "bob"})
    wait("v2-random")
    create("v2-grid", "quadratic.sh", strategy="Grid", jobs=3, parallel=3, env={"EPOCHS": "2"},
           ranges={"CategoricalParameterRanges": [{"Name": "lr", "Values": ["0.02", "0.05", "0.08"]}]})
    create("v2-bayesian", "quadratic.sh", strategy="Bayesian", jobs=4, parallel=1, env={"EPOCHS": "2"})
    create("v2-failed", "fails.sh", jobs=3, parallel=1)
    wait("v2-grid"), wait("v2-bayesian"), wait("v2-failed")
    create("v2-stopped", "quadratic.sh", jobs=4, parallel=2, env={"EPOCHS": "60", "SLEEP_SECONDS": "0.5"},
           tags={"why": "stopped by hand"})
    wait_running("v2-stopped", 2)
    stop("v2-stopped")
    wait("v2-stopped")
    names = ["v2-random", "v2-grid", "v2-bayesian", "v2-failed", "v2-stopped"]
elif VERSION == "v3":
    # 3f4212e: everything V3 stores: strategy state, finishing reasons, stop decisions, rung promotions.
    create("v3-random", "quadratic.sh", env={"EPOCHS": "3"}, tags={"team": "vision", "owner": "carol"})
    create("v3-grid", "quadratic.sh", strategy="Grid", jobs=3, parallel=1, env={"EPOCHS": "2"},
           ranges={"CategoricalParameterRanges": [{"Name": "lr", "Values": ["0.02", "0.05", "0.08"]}]})
    wait("v3-random"), wait("v3-grid")
    create("v3-hyperband", "curve.sh", strategy="Hyperband", jobs=12, parallel=3, seed=21,
           env={"SLEEP_SECONDS": "0.1"}, static={"epochs": "9"},
           StrategyConfig={"HyperbandStrategyConfig": {"MinResource": 1}}, tags={"strategy": "hyperband"})
    wait("v3-hyperband")
    create("v3-early", "curve.sh", jobs=12, parallel=3, seed=11, env={"EPOCHS": "12", "SLEEP_SECONDS": "0.15"},
           TrainingJobEarlyStoppingType="Auto")
    wait("v3-early")
    create("v3-target", "quadratic.sh", jobs=20, parallel=1, seed=5, env={"EPOCHS": "1"},
           TuningJobCompletionCriteria={"TargetObjectiveMetricValue": 1.5})
    create("v3-failed", "fails.sh", jobs=3, parallel=1)
    wait("v3-target"), wait("v3-failed")
    create("v3-stopped", "quadratic.sh", jobs=4, parallel=2, env={"EPOCHS": "60", "SLEEP_SECONDS": "0.5"})
    wait_running("v3-stopped", 2)
    stop("v3-stopped")
    wait("v3-stopped")
    # left InProgress: its one training job waits for GO_FILE, which the script creates once the
    # server has stopped, so that the program ends by itself and nothing is left running
    create("v3-inprogress", "waits.sh", jobs=1, parallel=1, env={"GO_FILE": f"{PROGRAMS}/../go"},
           tags={"left": "running"})
    wait_running("v3-inprogress", 1)
    names = ["v3-random", "v3-grid", "v3-hyperband", "v3-early", "v3-target", "v3-failed", "v3-stopped",
             "v3-inprogress"]
else:
    raise SystemExit(f"unknown version {VERSION}")

with open(OBSERVED, "w") as f:
    json.dump(observe(names), f, indent=1, sort_keys=True)
for n in names:
    d = describe(n)
    print(n, d["HyperParameterTuningJobStatus"], d.get("BestTrainingJob", {}).get("TrainingJobName", "-"),
          d.get("BestTrainingJob", {}).get("FinalHyperParameterTuningJobObjectiveMetric", {}).get("Value", "-"))
