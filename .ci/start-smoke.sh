#!/usr/bin/env bash
# Starts the API as a newcomer would (no DATABASE_URL → embedded PostgreSQL under .data/), mints
# the GP's token with `npm run token`, and checks the contract's first promise: lab results of
# P-0001 are released, diagnoses are refused with FORBIDDEN.
set -euo pipefail
cd "$(dirname "$0")/.."
unset DATABASE_URL
export PORT="${PORT:-4517}" EMBEDDED_PG_PORT="${EMBEDDED_PG_PORT:-54339}" DATA_DIR="${DATA_DIR:-$PWD/.data/ci-start}"
rm -rf "$DATA_DIR/pg"
log=$(mktemp)
# A process group of its own, so that cleanup stops exactly this npm start and its node child
# (a `pkill -f dist/src/main.js` also stopped every other API on the machine, e.g. a running soak).
setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "npm start exited"; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/readyz"; echo
TOKEN=$(npm run -s token -- gp-jansen)
out=$(curl -sS "http://127.0.0.1:$PORT/graphql" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"query":"{ patientByNumber(patientNumber: \"P-0001\") { name { family } labResults { display value } diagnoses { code } } }"}')
echo "$out" | head -c 600; echo
node -e '
const r = JSON.parse(process.argv[1]);
const p = r.data && r.data.patientByNumber;
const forbidden = (r.errors || []).some((e) => e.path && e.path.join(".") === "patientByNumber.diagnoses" && e.extensions.code === "FORBIDDEN");
if (!p || !p.labResults || p.labResults.length === 0 || p.diagnoses !== null || !forbidden) { console.error("smoke check failed"); process.exit(1); }
console.log("smoke ok: " + p.labResults.length + " lab results released, diagnoses FORBIDDEN");
' "$out"
