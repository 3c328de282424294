#!/usr/bin/env bash
# Fuzzes tether's parsers of untrusted input with cargo fuzz (nightly):
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (all of tests/fuzz/fuzz_targets by default) for SECONDS
# (default 600), two at a time, starting from its corpus in
# tests/fuzz/corpus/TARGET. A crash does not end a run: every crashing
# input lands in tests/fuzz/artifacts/TARGET (not committed). Afterwards
# the inputs the fuzzer found are merged into the corpus, minimised: only
# those that reach code (edges) the corpus did not are kept. Prints each
# target's executions, new corpus files and crashes, and the panic
# messages. Installs cargo-fuzz when it is missing.
#
# CI does not fuzz: `cargo test` replays the corpus (tests/cli/corpus.rs).
# FUZZ_JOBS sets how many targets run at once (default 2, one per core).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-600}
shift || true
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for file in tests/fuzz/fuzz_targets/*.rs; do
    targets+=("$(basename "$file" .rs)")
  done
fi
jobs=${FUZZ_JOBS:-2}

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo +nightly install --locked cargo-fuzz
fi

# tether forbids unsafe code and these parsers are safe Rust: AddressSanitizer
# would mostly halve the executions. The build lives under the ignored target/.
options=(--fuzz-dir tests/fuzz --target-dir target/fuzz --sanitizer none)
work=target/fuzz/work
logs=target/fuzz/logs
mkdir -p "$work" "$logs"

echo "fuzz.sh: building the fuzz targets" >&2
cargo +nightly fuzz build "${options[@]}"

# Fuzzes one target, then merges what it found into the corpus.
fuzz() {
  local target=$1 corpus=tests/fuzz/corpus/$1 found=$work/$1
  rm -rf "$found"
  mkdir -p "$found" "$corpus" "tests/fuzz/artifacts/$target"
  echo "fuzz.sh: fuzzing $target for ${seconds}s" >&2
  # New inputs go to the first folder; the corpus is only read. -fork=1
  # runs the target in a child process, so that with -ignore_crashes=1
  # one crash does not end the run.
  cargo +nightly fuzz run "${options[@]}" "$target" "$found" "$corpus" -- \
    -max_total_time="$seconds" -timeout=10 -fork=1 -ignore_crashes=1 \
    >"$logs/$target.log" 2>&1 || true
  # Hit counts would keep thousands of near-copies; new edges only.
  cargo +nightly fuzz run "${options[@]}" "$target" "$corpus" "$found" -- \
    -merge=1 -use_counters=0 >"$logs/$target.merge.log" 2>&1 || true
  rm -rf "$found"
}

stamp=$logs/started
touch "$stamp"
declare -A before
for target in "${targets[@]}"; do
  before[$target]=$(find "tests/fuzz/corpus/$target" -type f 2>/dev/null | wc -l)
done
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  fuzz "$target" &
done
wait

echo
printf '%-18s %14s %12s %8s\n' target executions "new inputs" crashes
status=0
for target in "${targets[@]}"; do
  # libFuzzer's status lines start with `#N`, the executions so far.
  executions=$(grep -oE '^#[0-9]+' "$logs/$target.log" | tail -n 1 | tr -d '#')
  new=$(($(find "tests/fuzz/corpus/$target" -type f | wc -l) - before[$target]))
  crashes=$(find "tests/fuzz/artifacts/$target" -type f -newer "$stamp" | wc -l)
  printf '%-18s %14s %12s %8s\n' "$target" "${executions:-0}" "$new" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    status=1
  fi
done

for target in "${targets[@]}"; do
  crashes=$(find "tests/fuzz/artifacts/$target" -type f -newer "$stamp" | head -n 5)
  if [ -n "$crashes" ]; then
    echo
    echo "== $target: crashes (the first five, each run again to show its panic)"
    for crash in $crashes; do
      echo "$crash"
      cargo +nightly fuzz run "${options[@]}" "$target" "$crash" 2>&1 |
        grep -A2 'panicked at' | sed 's/^/    /' || true
    done
  fi
done
exit "$status"
