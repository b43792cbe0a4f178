#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
# Usage: deploy/test.sh [ctest arguments...]   (LUOT_PRESET=asan for sanitizers)
# With CI=true and no LUOT_PRESET, the suite runs twice: under the `ci`
# preset (gcc, warnings as errors, with the benchmarks' quick run), then
# under `asan` (clang, AddressSanitizer + UndefinedBehaviorSanitizer +
# LeakSanitizer), which also runs every libFuzzer target for
# LUOT_FUZZ_SECONDS (10 s here) over its seed corpus (tests/fuzz).
# LUOT_CI_ASAN=false skips the asan pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

deploy/install-deps.sh
# The independent checkers some tests call (ESC/POS parser, number reader,
# browser driver), exactly as the lockfile pins them.
(cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
# The Node.js `ws` peer the benchmark's quick mode (a test) measures beside
# luot-server, also pinned by its lockfile.
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)

# Builds and tests one preset, printing how long each step took.
run_preset() {
  local preset=$1
  shift
  local start=$SECONDS
  # Two jobs on two cores; the test presets run tests two at a time too.
  local configure=()
  # Each fuzz target's bounded run (CTest), 10 s by default here.
  if [[ $preset == asan ]]; then
    configure+=("-DLUOT_FUZZ_SECONDS=${LUOT_FUZZ_SECONDS:-10}")
  fi
  cmake --preset "$preset" "${configure[@]}" >/dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
  local built=$SECONDS
  ctest --preset "$preset" "$@"
  echo "test.sh: preset $preset: build $((built - start)) s, tests $((SECONDS - built)) s"
}

if [[ -n ${LUOT_PRESET:-} || ${CI:-} != true ]]; then
  run_preset "${LUOT_PRESET:-ci}" "$@"
  exit 0
fi

run_preset ci "$@"
if [[ ${LUOT_CI_ASAN:-true} != false ]]; then
  run_preset asan "$@"
fi
