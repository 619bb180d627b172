#!/usr/bin/env bash
# Second command of the README: every test, in a normal build and again under
# AddressSanitizer + UndefinedBehaviorSanitizer, and a subset under valgrind memcheck.
# Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/web.sh # the map page: npm ci and its build into web/dist
jobs=$(nproc)

echo "== build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs"

# Memcheck on the normal build: 0 errors, 0 definite leaks (tests/cli/lib.sh wraps every
# corridor run in COR_PREFIX, one log per process, and fails the test on any report). The
# whole CLI and API suites take about 1.5 hours under valgrind on 2 cores (each CLI test
# 2.5-10 minutes), so a representative subset: hostile HTTP requests (api/test_errors),
# places and networks over HTTP, the network round trip, LP and Frank-Wolfe assignment,
# and scenarios through route, flow, stress and compare (about 4 minutes on 2 cores).
echo "== CLI and API tests under valgrind memcheck (a subset)"
COR_PREFIX="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
  ctest --test-dir build --output-on-failure -j "$jobs" \
  -R '^(api/test_(errors|places|networks|network_roundtrip)|cli/test_(assign|scenario))$'

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-san -DCMAKE_BUILD_TYPE=Debug -DCOR_SANITIZE=ON >/dev/null
cmake --build build-san -j "$jobs"
echo "== tests under the sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j "$jobs"

echo "== clang build with AddressSanitizer + UndefinedBehaviorSanitizer (+ pointer-overflow)"
CC=clang CXX=clang++ cmake -S . -B build-clang-san -DCMAKE_BUILD_TYPE=Debug -DCOR_SANITIZE=ON >/dev/null
cmake --build build-clang-san -j "$jobs"
echo "== unit tests under clang's sanitizers (the CLI and API suites ran under gcc's; no big data)"
COR_TEST_NO_LARGE=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-clang-san -R '^unit/' --output-on-failure -j "$jobs"

echo "== fuzz harnesses: a few seconds each, and the crashes found so far replayed"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOR_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz_all
ctest --test-dir build-fuzz -R '^fuzz/' --output-on-failure -j "$jobs"
