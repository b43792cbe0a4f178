#!/usr/bin/env bash
# Issue 11's benchmark in one run: builds what it needs (a RelWithDebInfo
# build with LUOT_BUILD_BENCH=ON in build/bench-release unless told
# otherwise), installs the Node.js peer's locked dependencies, raises the
# open-files limit as far as allowed, and runs bench_suite (luot-server,
# the Node.js `ws` peer and the kernel floor side by side), then the hall
# display and kiosk benchmarks when they are built, writing bench/RESULTS.md.
#
# Usage: bench/run.sh [--quick] [--build-dir DIR] [--out FILE] [--no-build]
#                     [-- bench_suite options...]
#   --quick       small N and sub-second rows (about 20 s), as the test suite runs it
#   --build-dir   the CMake build to use (default build/bench-release)
#   --out         where to write (default bench/RESULTS.md)
#   --no-build    use the build as it is (the test suite: it is already built)
# Exit status: bench_suite's (0; 2 when a correctness check failed, the file
# still written; 1 when the run could not happen).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
build=1
build_dir="$root/build/bench-release"
out="$root/bench/RESULTS.md"
suite_options=()
while (($# > 0)); do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --build-dir) build_dir=$2; shift ;;
    --out) out=$2; shift ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; suite_options=("$@"); break ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
  esac
  shift
done
build_dir=$(mkdir -p "$build_dir" && cd "$build_dir" && pwd)
out_dir=$(mkdir -p "$(dirname "$out")" && cd "$(dirname "$out")" && pwd)
out="$out_dir/$(basename "$out")"

# The largest fan-out holds one descriptor per subscriber in the receiver
# and another in the program measured: both inherit this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

has_target() { cmake --build "$build_dir" --target help 2>/dev/null | grep -q "^$1[: ]"; }

if ((build)); then
  if ! grep -qs '^LUOT_BUILD_BENCH:BOOL=ON' "$build_dir/CMakeCache.txt"; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLUOT_BUILD_BENCH=ON -DLUOT_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
  fi
  targets=(bench_suite bench_floor luot-server)
  if ((!quick)); then
    for extra in luot-display bench_display bench_kiosk; do
      if has_target "$extra"; then targets+=("$extra"); fi
    done
  fi
  cmake --build "$build_dir" --target "${targets[@]}"
fi
suite="$build_dir/bench/bench_suite"
if [[ ! -x $suite ]]; then
  echo "bench/run.sh: $suite is not built (configure with -DLUOT_BUILD_BENCH=ON)" >&2
  exit 1
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
if ((!quick)) && [[ $build_type != Release && $build_type != RelWithDebInfo ]]; then
  echo "bench/run.sh: warning: $build_dir is a $build_type build; figures need a release one" >&2
fi

# The Node.js peer, exactly as its lockfile pins it.
peer_options=()
peers="$root/bench/peers"
if node=$(command -v node) && command -v npm >/dev/null; then
  if [[ ! -f $peers/node_modules/ws/package.json ||
    $peers/package-lock.json -nt $peers/node_modules/.package-lock.json ]]; then
    (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
      echo "bench/run.sh: npm ci failed in bench/peers" >&2
  fi
  if [[ -f $peers/node_modules/ws/package.json ]]; then
    peer_options=(--node "$node" --peer-script "$peers/broadcaster.js")
  else
    echo "bench/run.sh: bench/peers has no node_modules: the Node.js peer is not run" >&2
  fi
else
  echo "bench/run.sh: node or npm not found: the Node.js peer is not run" >&2
fi

command="bench/run.sh"
((quick)) && command+=" --quick"
# What was measured: the commit, and whether the programs' sources differ from it.
source=$(git -C "$root" log -1 --format='commit %h (%cs)' 2>/dev/null || echo "not a git checkout")
changed=$({ git -C "$root" status --porcelain --untracked-files=no -- server client proto bench 2>/dev/null ||
  true; } | wc -l)
if ((changed > 0)); then
  source+=", with uncommitted changes to $changed files under server/, client/, proto/, bench/"
fi
partial="$out.partial"
status=0
quick_option=()
((quick)) && quick_option=(--quick)
"$suite" "${quick_option[@]}" --out "$partial" --work-dir "${TMPDIR:-/tmp}" \
  --command "$command" --source "$source" "${peer_options[@]}" "${suite_options[@]}" || status=$?
if [[ ! -s $partial ]]; then
  echo "bench/run.sh: bench_suite wrote nothing (exit $status)" >&2
  exit "$((status == 0 ? 1 : status))"
fi

if ((!quick)); then
  display=$(find "$build_dir" -maxdepth 3 -type f -name bench_display -perm -u+x | head -n 1)
  if [[ -n $display ]]; then
    echo "bench/run.sh: bench_display (about 40 s)" >&2
    {
      echo
      if ! SDL_VIDEODRIVER=dummy "$display" 10 20 2>&1; then
        echo
        echo "(bench_display failed; its figures above are incomplete)"
      fi
      echo
      echo "Goals (issue 7): a static board ≤ 2 % of one core; a call on screen within one frame"
      echo "(16.7 ms at 60 Hz) of the update's arrival."
    } >>"$partial"
  fi
  kiosk=$(find "$build_dir" -maxdepth 3 -type f -name bench_kiosk -perm -u+x | head -n 1)
  if [[ -n $kiosk ]]; then
    echo "bench/run.sh: bench_kiosk" >&2
    {
      echo
      echo "## Kiosk (\`bench_kiosk\`, software renderer, no server)"
      echo
      echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg). Times in µs."
      echo
      echo '```'
      SDL_VIDEODRIVER=dummy "$kiosk" 50 2>&1 || echo "(bench_kiosk failed)"
      echo '```'
    } >>"$partial"
  fi
fi
mv "$partial" "$out"
echo "bench/run.sh: wrote $out" >&2
exit "$status"
