#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
# Usage: deploy/test.sh [ctest arguments...]   (LUOT_PRESET=asan for sanitizers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

deploy/install-deps.sh
# The independent checkers some tests call (ESC/POS parser, number reader,
# browser driver), exactly as the lockfile pins them.
(cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
# The Node.js `ws` peer the benchmark's quick mode (a test) measures beside
# luot-server, also pinned by its lockfile.
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)

preset=${LUOT_PRESET:-ci}
# Two jobs on two cores; the test preset runs tests two at a time too.
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
ctest --preset "$preset" "$@"
