#!/usr/bin/env python3
"""One host of a multi-host job: checks that it is the host SageMaker says, that it reaches every other
host by name (it listens on its own address, connects to each other host's), and records what it got of
each channel in its model directory. With the hyperparameter fail_host=<name>, that host fails and the
others wait to be stopped (ignoring SIGTERM with ignore_term=true)."""
import json, os, socket, sys, threading, time

me = os.environ["SM_CURRENT_HOST"]
hosts = json.loads(os.environ["SM_HOSTS"])
others = [h for h in hosts if h != me]
with open(os.path.join(os.environ["SM_INPUT_CONFIG_DIR"], "resourceconfig.json")) as f:
    rc = json.load(f)
assert rc["current_host"] == me and rc["hosts"] == hosts, rc
assert socket.gethostname() == me, socket.gethostname()
hps = json.loads(os.environ["SM_HPS"])
port = int(hps.get("port", "47123"))
print("host %s of %s at %s" % (me, hosts, socket.gethostbyname(me)), flush=True)
if "SLURMD_NODENAME" in os.environ:
    print("slurm node of %s: %s" % (me, os.environ["SLURMD_NODENAME"]), flush=True)
with open("/proc/self/status") as f:
    capeff = [l.split()[1] for l in f if l.startswith("CapEff:")][0]
with open("/proc/self/cgroup") as f:
    cgroup = f.read().strip().split(":")[-1]
print("identity of %s: uid=%d capeff=%s cgroup=%s" % (me, os.getuid(), capeff, cgroup), flush=True)

if hps.get("fail_host") == me:
    with open(os.path.join(os.environ["SM_OUTPUT_DIR"], "failure"), "w") as f:
        f.write("broken on " + me)
    sys.exit(3)
if "fail_host" in hps:
    if hps.get("ignore_term") == "true":
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("waiting on " + me, flush=True)
    while True:
        time.sleep(1)

heard = set()
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((socket.gethostbyname(me), port))   # its own address: the hosts share one network namespace
server.listen(len(hosts))
server.settimeout(60)

def accept():
    while len(heard) < len(others):
        conn, _ = server.accept()
        heard.add(conn.recv(64).decode())
        conn.close()

listener = threading.Thread(target=accept)
listener.start()
for other in others:
    deadline = time.time() + 60
    while True:
        try:
            with socket.create_connection((other, port), timeout=5) as c:
                c.sendall(me.encode())
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    print("reached " + other, flush=True)
listener.join()
assert heard == set(others), heard
print("heard from " + ",".join(sorted(heard)), flush=True)

def files(channel):
    root = os.environ["SM_CHANNEL_" + channel.upper()]
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, ns in os.walk(root) for n in ns)

os.makedirs(os.environ["SM_MODEL_DIR"], exist_ok=True)
with open(os.path.join(os.environ["SM_MODEL_DIR"], me + ".json"), "w") as f:
    json.dump({c: files(c) for c in json.loads(os.environ["SM_CHANNELS"])}, f)
with open(os.path.join(os.environ["SM_MODEL_DIR"], "written-by"), "w") as f:
    f.write(me)
print("loss=%d" % hosts.index(me), flush=True)
