#!/usr/bin/env bash
# Installs what the tests need, builds everything with tests, and runs every test through ctest:
# in the Release build, under AddressSanitizer + UndefinedBehaviorSanitizer (the whole suite
# but the plugin and sensor app), under ThreadSanitizer (the concurrency stress test and the
# soak), and the libFuzzer targets. What runs where: README, "Tests and golden numbers".
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh clang-format-14

# The libFuzzer targets (clang-14, ASan + UBSan), 30 s each on the seed corpus: a crash,
# sanitizer report, leak, timeout or memory blow-up fails the run.
tools/run-fuzzers.sh 30

# The concurrent parts under TSan: a race fails the run.
cmake --preset tsan -DGS_BUILD_TESTS=ON
cmake --build build-tsan -j"$(nproc)" --target engine_stress_test engine_soak
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --test-dir build-tsan -L "stress|soak" --output-on-failure

# The suite again under ASan + UBSan: a memory error, undefined behaviour or leak fails it.
# Without the plugin and sensor app: with them this ASan build took about 50 minutes on a
# 2-core Zen 1 (2026-11-30) and the whole run 87 of CI's 90. They run in the Release stage
# below; README ("What runs where") has the command for them under ASan.
cmake --preset asan -DGS_BUILD_TESTS=ON -DGS_BUILD_PLUGIN=OFF
cmake --build build-asan -j"$(nproc)"
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  ctest --test-dir build-asan --output-on-failure -j"$(nproc)"

# Last, everything in the Release build (its ctest summary closes the log). First the unit
# tests once more as on a CPU without AVX-512 (GS_KERNEL_ISA=avx2, under a second): which
# kernel serves which size differs there, and so do the tests' expectations.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGS_BUILD_TESTS=ON -DGS_BUILD_PLUGIN=ON
cmake --build build -j"$(nproc)"
GS_KERNEL_ISA=avx2 build/tests/unit_tests --gtest_brief=1
ctest --test-dir build --output-on-failure -j"$(nproc)"
