#!/usr/bin/env bash
# Installs what the tests need, builds everything with tests, and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh

# The concurrency stress test under ThreadSanitizer: a race fails the run.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGS_SANITIZER=thread -DGS_BUILD_TESTS=ON
cmake --build build-tsan -j"$(nproc)" --target engine_stress_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --test-dir build-tsan -L stress --output-on-failure

# The libFuzzer targets (clang-14, ASan + UBSan), 30 s each on the seed corpus: a crash,
# sanitizer report, leak, timeout or memory blow-up fails the run.
tools/run-fuzzers.sh 30

# Everything, in the Release build.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_TESTS=ON -DGS_BUILD_PLUGIN=ON
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
