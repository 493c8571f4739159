#!/usr/bin/env python3
"""Sends the same scripted requests to two Vernier servers and diffs their answers byte for byte,
after masking what differs by nature (timestamps, request ids, the random hex of training-job names).

Used to check that a refactoring changed no answer a client sees:
    tools/wire-diff.py --old-jar OLD.jar --new-jar NEW.jar
Both servers run with the same keys, settings and seed on fresh data directories.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.auth import SigV4Auth
from botocore.credentials import Credentials

KEY, SECRET = "AKIAWIREDIFFWIREDIFF", "wire-diff-secret-0123456789abcdefghijkl"
HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "..", "vernier-testkit", "src", "main", "resources", "programs", "quadratic.sh")


def start(jar, data):
    env = dict(os.environ, VERNIER_ACCESS_KEY_ID=KEY, VERNIER_SECRET_ACCESS_KEY=SECRET)
    out = open(os.path.join(data, "server.out"), "w")
    p = subprocess.Popen([os.environ.get("JAVA", "java"), "-jar", jar, "server", "--port", "0", "--data-dir", data,
                          "--images", "vernier/train:latest=" + os.path.abspath(PROGRAM)],
                         stdout=out, stderr=subprocess.STDOUT, env=env)
    for _ in range(600):
        text = open(os.path.join(data, "server.out")).read()
        m = re.search(r"listening on (http://\S+)", text)
        if m:
            return p, m.group(1).rstrip(" (")
        time.sleep(0.1)
    raise SystemExit("server did not start:\n" + text)


def call(endpoint, op, body):
    data = json.dumps(body).encode()
    req = AWSRequest(method="POST", url=endpoint + "/", data=data, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "SageMaker." + op})
    SigV4Auth(Credentials(KEY, SECRET), "sagemaker", "us-east-1").add_auth(req)
    r = urllib.request.Request(endpoint + "/", data=data, headers=dict(req.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(r) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def mask(text):
    text = re.sub(r'"(CreationTime|LastModifiedTime|TrainingStartTime|TrainingEndTime|HyperParameterTuningEndTime|'
                  r'StartTime|EndTime|Timestamp|ConvergenceDetectedTime)":\s*[0-9.]+', r'"\1":T', text)
    text = re.sub(r'(-\d{3})-[0-9a-f]{8}', r'\1-HEX', text)
    text = re.sub(r'"(RuntimeInSeconds|TrainingTimeInSeconds|BillableTimeInSeconds)":\s*\d+', r'"\1":N', text)
    text = re.sub(r'request [0-9a-f-]{36}', 'request ID', text)
    return text


def script():
    create = json.load(open(os.path.join(HERE, "..", "vernier-testkit", "src", "main", "resources", "requests",
                                         "create-minimal.json")))
    create["TrainingJobDefinition"]["AlgorithmSpecification"]["MetricDefinitions"] = [
        {"Name": "validation:loss", "Regex": "loss=([0-9.eE+-]+)"}]
    create["HyperParameterTuningJobConfig"]["RandomSeed"] = 7
    steps = [
        ("CreateHyperParameterTuningJob", dict(create, Tags=[{"Key": "team", "Value": "wire"}])),
        ("CreateHyperParameterTuningJob", create),                                   # ResourceInUse
        ("CreateHyperParameterTuningJob", {"HyperParameterTuningJobName": "bad!"}),  # validation
        ("WAIT", "minimal-job"),
        ("DescribeHyperParameterTuningJob", {"HyperParameterTuningJobName": "minimal-job"}),
        ("ListHyperParameterTuningJobs", {}),
        ("ListHyperParameterTuningJobs", {"SortBy": "CreationTime", "SortOrder": "Descending", "MaxResults": 1}),
        ("ListTrainingJobsForHyperParameterTuningJob", {"HyperParameterTuningJobName": "minimal-job",
                                                         "SortBy": "FinalObjectiveMetricValue"}),
        ("ListTrainingJobs", {"SortBy": "Name"}),
        ("DESCRIBE_TRAINING_JOBS", "minimal-job"),
        ("ListTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/minimal-job"}),
        ("AddTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/minimal-job",
                     "Tags": [{"Key": "stage", "Value": "dev"}]}),
        ("DeleteTags", {"ResourceArn": "arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/minimal-job",
                        "TagKeys": ["team"]}),
        ("StopHyperParameterTuningJob", {"HyperParameterTuningJobName": "minimal-job"}),  # not InProgress
        ("StopTrainingJob", {"TrainingJobName": "nope"}),
        ("DescribeTrainingJob", {"TrainingJobName": "nope"}),
        ("DescribeHyperParameterTuningJob", {"HyperParameterTuningJobName": "nope"}),
        ("DeleteHyperParameterTuningJob", {"HyperParameterTuningJobName": "minimal-job"}),
        ("DescribeHyperParameterTuningJob", {"HyperParameterTuningJobName": "minimal-job"}),
    ]
    return steps


def run(endpoint):
    out = []
    for op, body in script():
        if op == "WAIT":
            for _ in range(600):
                s, b = call(endpoint, "DescribeHyperParameterTuningJob", {"HyperParameterTuningJobName": body})
                if json.loads(b).get("HyperParameterTuningJobStatus") in ("Completed", "Failed", "Stopped"):
                    break
                time.sleep(0.2)
            continue
        if op == "DESCRIBE_TRAINING_JOBS":
            s, b = call(endpoint, "ListTrainingJobsForHyperParameterTuningJob", {"HyperParameterTuningJobName": body})
            for j in sorted(json.loads(b)["TrainingJobSummaries"], key=lambda j: j["TrainingJobName"]):
                s2, b2 = call(endpoint, "DescribeTrainingJob", {"TrainingJobName": j["TrainingJobName"]})
                out.append(("DescribeTrainingJob", s2, mask(b2)))
            continue
        s, b = call(endpoint, op, body)
        out.append((op, s, mask(b)))
    return out


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--old-jar", required=True)
    a.add_argument("--new-jar", required=True)
    args = a.parse_args()
    results = []
    for jar in (args.old_jar, args.new_jar):
        data = tempfile.mkdtemp(prefix="vernier-wire-")
        p, endpoint = start(jar, data)
        try:
            results.append(run(endpoint))
        finally:
            p.terminate(); p.wait()
            shutil.rmtree(data, ignore_errors=True)
    old, new = results
    same = 0
    for (op, s1, b1), (_, s2, b2) in zip(old, new):
        if (s1, b1) == (s2, b2):
            same += 1
        else:
            print("DIFFERENT:", op, s1, s2, "\n  old:", b1[:600], "\n  new:", b2[:600])
    print(f"{same} of {len(old)} answers identical (after masking timestamps, request ids and name hex)")
    sys.exit(0 if same == len(old) == len(new) else 1)


if __name__ == "__main__":
    main()
