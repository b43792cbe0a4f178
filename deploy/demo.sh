#!/usr/bin/env bash
# Installs what is missing, builds, and runs Luot on the demo centre
# (SQLite, deploy/config/demo.toml) at http://127.0.0.1:8080.
# Usage: deploy/demo.sh [--port N] [--keep-data]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port=8080
keep_data=no
while (($#)); do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --keep-data) keep_data=yes; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "demo.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

deploy/install-deps.sh
cmake --preset release >/dev/null
# The demo needs the programs only, not the test suites.
cmake --build --preset release -j "$(nproc)" --target luot-server

data=build/demo-data
mkdir -p "$data"
[[ $keep_data == yes ]] || rm -f "$data"/luot-demo.db*

base="http://127.0.0.1:$port"
cat <<TXT

Luot demo centre: Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội
  Server:    $base   (Ctrl-C stops it; data in $data/luot-demo.db)
  State:     curl -s $base/api/v1/snapshot
  Health:    curl -s $base/readyz ; curl -s $base/metrics

Try a citizen's turn (categories: LDVL NCC BTXH GDNN TE TKQ):
  curl -s -X POST $base/api/v1/tickets -d '{"category":"LDVL"}'
  curl -s -X POST $base/api/v1/tickets -d '{"category":"NCC","priorityClass":"cao-tuoi"}'
An officer signs in to counter 1 (password lan-2026) and calls it:
  TOKEN=\$(curl -s -X POST $base/api/v1/sessions \\
      -d '{"username":"lan","password":"lan-2026","counter":"1"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" $base/api/v1/counters/1/call-next
  curl -s -X POST -H "Authorization: Bearer \$TOKEN" $base/api/v1/counters/1/finish -d '{"outcome":"tiep-nhan"}'
Opening hours are ignored in the demo (--always-open) so it works at any hour.

TXT
exec build/release/server/app/luot-server --config deploy/config/demo.toml \
  --database "$data/luot-demo.db" --port "$port" --always-open
