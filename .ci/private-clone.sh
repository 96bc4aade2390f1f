#!/usr/bin/env bash
# A newcomer's clone in a private (0700) directory, as root's home is one: `npm ci`, then
# `npm start` on the embedded PostgreSQL (the start smoke) and one test file on the embedded
# PostgreSQL of the test run. Under root the embedded server runs as the `postgres` OS user, who
# cannot reach such a clone; its binaries and data then live under TMPDIR, here a folder of this
# check that is removed afterwards.
set -euo pipefail
source_repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -m 700 "$work/private"
git clone -q "$source_repo" "$work/private/clone"
cd "$work/private/clone"
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
unset DATABASE_URL
npm ci --no-audit --no-fund --loglevel=error
PORT=4518 EMBEDDED_PG_PORT=54340 bash .ci/start-smoke.sh
npx jest test/http/graphiql.test.ts
