#!/bin/sh
# Configures, builds and runs every libFuzzer target for a bounded time
# (LUOT_FUZZ_SECONDS each, default 20) over its seed corpus. Fails on any
# crash, sanitizer report or leak. Usage: tests/fuzz/run.sh [build-dir]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-fuzz}
seconds=${LUOT_FUZZ_SECONDS:-20}
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi

cmake -S "$here/project" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_COMPILER=clang++ $launcher \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -g -O1" \
  -DLUOT_WARNINGS="-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror" \
  -DLUOT_FUZZ_SECONDS="$seconds"
cmake --build "$build" -j2 --target fuzz_codec fuzz_config fuzz_router fuzz_speech fuzz_escpos
ctest --test-dir "$build" -L fuzz -j2 --output-on-failure
