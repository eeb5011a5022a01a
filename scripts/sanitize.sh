#!/usr/bin/env bash
# The instrumented job: library, CLI and tests built by clang with AddressSanitizer +
# UndefinedBehaviorSanitizer (and libFuzzer's coverage), the tests labelled `sanitized` run under them
# (the library's own tests and the hostile inputs; tests/CMakeLists.txt says which), then every fuzz
# target for SECONDS_EACH (default 60). The trainer, the Python module and the end-to-end tests (which
# the release build runs) are left out; DANGPLI_CMAKE_ARGS=-DDANGPLI_BUILD_END_TO_END_TESTS=ON builds
# those tests here too, to run with `cd BUILD_DIR && ctest -E '^(install|package|docs)$'`.
# Usage: scripts/sanitize.sh [BUILD_DIR=build-asan] [SECONDS_EACH=60]   (after scripts/install-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
seconds=${2:-60}
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DDANGPLI_SANITIZE=ON -DDANGPLI_FUZZ=ON -DDANGPLI_WITH_TRAINER=OFF -DDANGPLI_WITH_PYTHON=OFF \
  -DDANGPLI_BUILD_BENCH=OFF -DDANGPLI_BUILD_EXAMPLES=OFF -DDANGPLI_BUILD_END_TO_END_TESTS=OFF \
  ${DANGPLI_CMAKE_ARGS:-}
cmake --build "$build" -j "$(nproc)"
# Leaks in third-party libraries that keep caches for the process's life are not ours.
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# LeakSanitizer stops the world through ptrace; a container that forbids ptrace makes it fail every
# program at exit. There the job goes on without leak checks, and says so.
probe=$("$build/tests/dangpli_tests_core" -tc=no-such-test-case 2>&1 >/dev/null || true)
if grep -q "LeakSanitizer has encountered a fatal error" <<<"$probe"; then
  echo "sanitize.sh: LeakSanitizer cannot run on this machine (no ptrace); leak checks are off" >&2
  export ASAN_OPTIONS=${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}
fi
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 1800 -L '^sanitized$')
scripts/fuzz.sh "$build" "$seconds"
