#!/usr/bin/env bash
# The test suite's run of the benchmark (CTest: bench_quick), so it cannot
# rot: bench/run.sh --quick against an existing build, into a temporary file
# (bench/RESULTS.md is left alone), then checks the file is well formed:
# every section and headline figure present, every table rectangular, no
# number that is not one, no correctness problem.
#
# Usage: bench/quick_test.sh BUILD_DIR
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${1:?usage: quick_test.sh BUILD_DIR}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
results="$scratch/RESULTS.md"

TMPDIR="$scratch" "$here/run.sh" --quick --no-build --build-dir "$build_dir" --out "$results"

problems=0
fail() {
  echo "quick_test: $*" >&2
  problems=$((problems + 1))
}
need() {
  grep -qF -- "$1" "$results" || fail "RESULTS has no \"$1\""
}

need "# Luot benchmark results"
need "**Quick run**"
for line in "**Date**" "**CPU**" "**Kernel**" "**Open-files limit**" "**Load average at the start**" \
  "**Load average at the end**"; do
  need "$line"
done
for section in "## Figures against issue 11's goals" "## The machine's fdatasync" \
  "## Fan-out of a call" "## Durable take-ticket, closed loop" "## Take-ticket, open loop" \
  "## Restart with" "## Call → screen" "## Reconnect storm"; do
  need "$section"
done
for headline in "| the machine's fdatasync" "| call → last of" "| server CPU per call at" \
  "| idle subscriber memory" "| durable take-ticket, closed loop" "| server CPU per take-ticket" \
  "| take-ticket at 100/s, open loop" "| restart with" "| call → screen" "| reconnect storm"; do
  need "$headline"
done
# The open loop's floor: the disk alone at the row's pace, beside the row.
need "disk alone p99 (ms)"
need "(the disk alone at this pace: p99 "
need "the server's commits over 1 ms: "
for program in "| luot-server |" "| kernel floor |"; do
  need "$program"
done
if command -v node >/dev/null && [[ -f $here/peers/node_modules/ws/package.json ]]; then
  need "| node ws |"
fi
if grep -qF "Correctness problems" "$results"; then
  fail "the run reported correctness problems"
fi
# Every table: a header, a separator with as many cells, rows with as many.
awk '
  /^\|/ {
    cells = gsub(/\|/, "|") - 1
    if (!in_table) { in_table = 1; width = cells; header = NR; next }
    if (NR == header + 1 && $0 !~ /^\|( *-+:? *\|)+$/) { printf "line %d: no separator under the header\n", NR; bad = 1 }
    if (cells != width) { printf "line %d: %d cells, the header has %d\n", NR, cells, width; bad = 1 }
    if ($0 ~ /\| *(nan|-?inf) *\|/) { printf "line %d: not a number\n", NR; bad = 1 }
    rows++
    next
  }
  { if (in_table && NR == header + 1) { printf "line %d: a table header alone\n", NR; bad = 1 } in_table = 0 }
  END { if (rows < 10) { print "too few table rows"; bad = 1 } exit bad }
' "$results" >&2 || fail "a malformed table"

if ((problems > 0)); then
  echo "quick_test: $problems problems in:" >&2
  cat "$results" >&2
  exit 1
fi
echo "quick_test: $(grep -c '^|' "$results") table lines, well formed"
