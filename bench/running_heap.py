"""Creates one tuning job of N one-line training jobs (10 at a time) and, as it runs, prints the
server's live heap (jcmd GC.run, then GC.heap_info) at 25/50/75/95% of the jobs completed.
Usage: running_heap.py ENDPOINT SERVER_PID JCMD N PROGRAM"""
import subprocess, sys, time

import boto3

endpoint, pid, jcmd, n, program = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sm = boto3.client("sagemaker", endpoint_url=endpoint, region_name="us-east-1")
name = "running-heap-%d" % int(time.time())
sm.create_hyper_parameter_tuning_job(
    HyperParameterTuningJobName=name,
    HyperParameterTuningJobConfig={
        "Strategy": "Random",
        "ResourceLimits": {"MaxNumberOfTrainingJobs": n, "MaxParallelTrainingJobs": 10},
        "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "loss"},
        "ParameterRanges": {"ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]}},
    TrainingJobDefinition={
        "AlgorithmSpecification": {"TrainingImage": "file://" + program, "TrainingInputMode": "File",
                                   "MetricDefinitions": [{"Name": "loss", "Regex": "loss=([0-9.eE+-]+)"}]},
        "RoleArn": "arn:aws:iam::123456789012:role/vernier", "OutputDataConfig": {"S3OutputPath": "s3://bench/out"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600}})
start = time.time()
marks = [n // 4, n // 2, 3 * n // 4, int(n * 0.95)]
print("| seconds | completed | live heap after GC (MB) | RSS (MB) |")
print("|---|---|---|---|")
while True:
    d = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=name)
    done = d["TrainingJobStatusCounters"]["Completed"]
    if marks and done >= marks[0]:
        marks.pop(0)
        subprocess.run([jcmd, pid, "GC.run"], capture_output=True, check=True)
        info = subprocess.run([jcmd, pid, "GC.heap_info"], capture_output=True, text=True, check=True).stdout
        used = next(l for l in info.splitlines() if " used " in l).split(" used ")[1].split("K")[0]
        rss = open("/proc/%s/status" % pid).read().split("VmRSS:")[1].split()[0]
        print("| %.0f | %d | %.0f | %.0f |" % (time.time() - start, done, int(used) / 1024, int(rss) / 1024), flush=True)
    if d["HyperParameterTuningJobStatus"] != "InProgress":
        break
    time.sleep(1)
print("%s: %s in %.0f s" % (d["HyperParameterTuningJobStatus"], d["TrainingJobStatusCounters"], time.time() - start))
