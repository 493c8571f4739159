#!/usr/bin/env python3
"""Setup for bench/describe-throughput.sh.

  create   ENDPOINT COUNT TEMPLATE          creates COUNT tuning jobs bench-0000.. from a Create request JSON
  presign  ENDPOINT COUNT OUT.lua           writes COUNT SigV4-signed Describe requests (one per job) as raw
                                            HTTP/1.1 text in a Lua table, for bench/describe.lua under wrk

Keys come from VERNIER_ACCESS_KEY_ID / VERNIER_SECRET_ACCESS_KEY. Signatures are valid for 15 minutes
(the server's allowed clock skew), so the shell script re-signs before every concurrency level.
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

REGION = "us-east-1"


def job_name(i):
    return f"bench-{i:04d}"


def credentials():
    return Credentials(os.environ["VERNIER_ACCESS_KEY_ID"], os.environ["VERNIER_SECRET_ACCESS_KEY"])


def create(endpoint, count, template):
    with open(template) as f:
        request = json.load(f)
    creds = credentials()
    client = boto3.client("sagemaker", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
                          config=Config(max_pool_connections=8, retries={"max_attempts": 1}))

    def one(i):
        client.create_hyper_parameter_tuning_job(**dict(request, HyperParameterTuningJobName=job_name(i)))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(count)))
    # sanity check: the last one is there
    client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=job_name(count - 1))


def settle(endpoint, count):
    """Waits until no tuning job is InProgress (their training jobs run /bin/true and end at once)."""
    import time
    creds = credentials()
    client = boto3.client("sagemaker", endpoint_url=endpoint, region_name=REGION,
                          aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key)
    deadline = time.time() + 1800
    while time.time() < deadline:
        running = client.list_hyper_parameter_tuning_jobs(StatusEquals="InProgress", MaxResults=100)
        if not running["HyperParameterTuningJobSummaries"]:
            return
        time.sleep(2)
    raise SystemExit("tuning jobs still running after 30 minutes")


def lua_string(s):
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def presign(endpoint, count, out_path):
    host = urlparse(endpoint).netloc
    signer = SigV4Auth(credentials(), "sagemaker", REGION)
    requests = []
    for i in range(count):
        body = json.dumps({"HyperParameterTuningJobName": job_name(i)})
        req = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SageMaker.DescribeHyperParameterTuningJob",
        })
        signer.add_auth(req)  # sets X-Amz-Date and Authorization over host, content-type, x-amz-date, x-amz-target
        lines = ["POST / HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in req.headers.items()]
        lines += [f"Content-Length: {len(body.encode())}", "", body]
        requests.append("\r\n".join(lines))
    with open(out_path, "w") as f:
        f.write("return {\n")
        for r in requests:
            f.write(lua_string(r) + ",\n")
        f.write("}\n")


if __name__ == "__main__":
    command, endpoint, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if command == "create":
        create(endpoint, count, sys.argv[4])
    elif command == "presign":
        presign(endpoint, count, sys.argv[4])
    elif command == "settle":
        settle(endpoint, count)
    else:
        sys.exit(f"unknown command {command}")
