#!/usr/bin/env python3
"""Prints SchemaUpgradeTest's expected values for one fixture as Java lines, from what the old server
answered (OBSERVED_JSON, written by make_fixtures.py) and, for the decisions, which no API shows,
from the fixture's rows.

usage: expectations.py OBSERVED_JSON FIXTURE_DB
"""
import json
import sqlite3
import sys

observed = json.load(open(sys.argv[1]))
db = sqlite3.connect(f"file:{sys.argv[2]}?immutable=1", uri=True)


def java(v):
    if v is None:
        return "null"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, float):
        return f"{v!r}f"
    if isinstance(v, int):
        return f"{v}L"
    raise TypeError(v)


def first_line(s):
    return None if s is None else s.splitlines()[0]


print("// tuning(name, status, strategy, created, modified, ended, failure (first line), best job, its objective, tags...)")
for name, o in sorted(observed.items(), key=lambda e: e[1]["Describe"]["CreationTime"]):
    d = o["Describe"]
    best = d.get("BestTrainingJob", {})
    values = [name, d["HyperParameterTuningJobStatus"], d["HyperParameterTuningJobConfig"]["Strategy"],
              d["CreationTime"], d["LastModifiedTime"], d.get("HyperParameterTuningEndTime"),
              first_line(d.get("FailureReason")), best.get("TrainingJobName"),
              best.get("FinalHyperParameterTuningJobObjectiveMetric", {}).get("Value")]
    values += [x for t in o["Tags"] for x in (t["Key"], t["Value"])]
    print(f"tuning({', '.join(java(v) for v in values)}),")

print("// training(name, status, secondary, hyperparameters, final loss, final epoch, transitions, created, started,"
      " ended, failure (first line))")
for name, o in sorted(observed.items(), key=lambda e: e[1]["Describe"]["CreationTime"]):
    for t in sorted(o["TrainingJobs"], key=lambda t: t["TrainingJobName"]):
        final = {m["MetricName"]: m["Value"] for m in t.get("FinalMetricDataList", [])}
        values = [t["TrainingJobName"], t["TrainingJobStatus"], t["SecondaryStatus"],
                  " ".join(f"{k}={v}" for k, v in sorted(t["HyperParameters"].items())),
                  final.get("loss"), final.get("epoch"),
                  " ".join(s["Status"] for s in t["SecondaryStatusTransitions"]),
                  t["CreationTime"], t.get("TrainingStartTime"), t.get("TrainingEndTime"), first_line(t.get("FailureReason"))]
        print(f"training({', '.join(java(v) for v in values)}),")

tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
if "stop_decision" in tables:
    print("// decision(training job, kind as V4 names it, step, detail, decided at), in the order they were taken")
    rows = db.execute("""
        SELECT t.name, CASE d.cause WHEN 'HYPERBAND' THEN 'HYPERBAND_STOP' ELSE d.cause END, d.step, d.detail, d.decided_at
        FROM stop_decision d JOIN training_job t ON t.name_key = d.training_job_key
        UNION ALL
        SELECT t.name, 'PROMOTION', p.step, '', p.decided_at
        FROM rung_promotion p JOIN training_job t ON t.name_key = p.training_job_key
        ORDER BY 5, 3""").fetchall()
    for job, kind, step, detail, at in rows:
        print(f"decision({java(job)}, {java(kind)}, {step}, {java(detail)}, {java(at)}),")
columns = {r[1] for r in db.execute("PRAGMA table_info(tuning_job)")}
for column in ("strategy_state", "finishing_reason"):   # V2 and V3 columns
    if column in columns:
        print(f"// {column} (no API shows it)")
        for name, value in db.execute(f"SELECT name, {column} FROM tuning_job WHERE {column} IS NOT NULL"
                                      " ORDER BY creation_time"):
            print(f"// {name}: {java(value)}")
