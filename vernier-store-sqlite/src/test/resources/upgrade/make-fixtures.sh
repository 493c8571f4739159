#!/usr/bin/env bash
# Rewrites v1.db, v2.db and v3.db by running the old servers that wrote each schema (see README.md).
# usage: make-fixtures.sh [v1|v2|v3 ...]      (default: all three)
# The jars come from V1_JAR, V2_JAR, V3_JAR when set, else the commits below are checked out under
# /tmp/vernier-upgrade/src-vN (git worktree, detached) and built with Maven. Needs python3 with boto3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
work=/tmp/vernier-upgrade          # fixed: the programs' paths end up in the stored requests
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
declare -A COMMIT=([v1]=0b14358 [v2]=848d4d9 [v3]=3f4212e)

jar_of() {   # version -> path of the old server's jar, built when not given
  local v=$1 var="${1^^}_JAR"
  if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
  local src="$work/src-$v"
  [ -d "$src" ] || git -C "$repo" worktree add --detach "$src" "${COMMIT[$v]}" >&2
  (cd "$src" && mvn -B -q -o -DskipTests package >&2)
  echo "$src/vernier-server/target/vernier.jar"
}

make_one() {
  local v=$1 jar data="$work/$v" log="$work/$v.log" pid port
  jar="$(jar_of "$v")"
  rm -rf "$data" "$work/go" "$log"
  mkdir -p "$data" "$work/programs"
  cp "$repo"/vernier-testkit/src/main/resources/programs/{quadratic,curve,fails}.sh "$here/waits.sh" "$work/programs/"
  local flags=()
  [ "$v" = v1 ] || flags=(--stop-grace-seconds 2 --max-concurrent-training-jobs 4)
  VERNIER_ACCESS_KEY_ID=AKIAUPGRADEUPGRADE00 VERNIER_SECRET_ACCESS_KEY=upgrade-secret-0123456789abcdefghijkl \
    "$JAVA_HOME/bin/java" -jar "$jar" server --port 0 --data-dir "$data" "${flags[@]}" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    port="$(sed -n 's|^Vernier is listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log")"
    [ -n "$port" ] && break
    sleep 0.2
  done
  [ -n "$port" ] || { cat "$log"; kill "$pid"; exit 1; }
  python3 "$here/make_fixtures.py" "$v" "http://127.0.0.1:$port" "$work/programs" "$work/$v-observed.json" \
    || { kill "$pid"; exit 1; }
  kill -TERM "$pid"; wait "$pid" || true          # the shutdown hook closes the store: WAL checkpointed
  touch "$work/go"                                 # v3-inprogress's program ends by itself now
  for _ in $(seq 100); do pgrep -f "$work/programs/" >/dev/null || break; sleep 0.2; done
  ! pgrep -af "$work/programs/" || { echo "training programs still running" >&2; exit 1; }
  python3 - "$data/vernier.db" "$here/$v.db" <<'EOF'
import os, shutil, sqlite3, sys
source, target = sys.argv[1:3]
assert not os.path.exists(source + "-wal") or os.path.getsize(source + "-wal") == 0, "WAL not checkpointed"
shutil.copyfile(source, target)
db = sqlite3.connect(target)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
db.execute("VACUUM")
print(os.path.basename(target), "journal_mode", db.execute("PRAGMA journal_mode").fetchone()[0],
      "schema", db.execute("SELECT max(version) FROM flyway_schema_history").fetchone()[0])
for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
    print(f"  {table:24} {db.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:5}")
db.close()
print(" ", os.path.getsize(target), "bytes")
EOF
  python3 "$here/expectations.py" "$work/$v-observed.json" "$here/$v.db" >"$work/$v-expected.txt"
  echo "  expected values for SchemaUpgradeTest: $work/$v-expected.txt"
}

versions=("$@")
[ $# -gt 0 ] || versions=(v1 v2 v3)
for v in "${versions[@]}"; do make_one "$v"; done
