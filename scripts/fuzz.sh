#!/usr/bin/env bash
# fuzz.sh — build the libFuzzer targets of fuzz/ (clang, ASan + UBSan, CPU only, in build-fuzz/)
# and fuzz each for a fixed time, one after the other.
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]     (default: all 60)
#   TARGET: arch_string | arch_list | measurements | checkpoint
#   FUZZ_PARALLEL=2 runs two targets side by side; FUZZ_FLAGS adds libFuzzer flags.
# The corpus grows in build-fuzz/corpus/TARGET (seeds: fuzz/seeds, tests/data/nas, generated
# checkpoints), logs go to build-fuzz/logs/TARGET.log, crashing inputs to build-fuzz/findings/.
# Exit 1 when a target found something (the log's end is printed, with the command that
# replays the input). The arch and measurement targets need the data folder ($NASFLAT_DATA,
# else ../shared/data, else ./data); without it they are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
seconds=${2:-60}
all=(arch_string arch_list measurements checkpoint)
case "$what" in
    all) targets=("${all[@]}") ;;
    arch_string | arch_list | measurements | checkpoint) targets=("$what") ;;
    *) echo "fuzz.sh: unknown target '$what'; fix: one of ${all[*]} or all" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS '$seconds' is not a positive whole number" >&2; exit 2; }
cxx=$(command -v clang++ || command -v clang++-14 || true)
[ -n "$cxx" ] || { echo "fuzz.sh: clang++ not found; fix: scripts/setup.sh installs clang and libclang-rt-dev" >&2; exit 2; }

build=build-fuzz
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
      -DNASFLAT_FUZZ=ON -DNASFLAT_CUDA=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" fuzz_checkpoint_seeds

data=${NASFLAT_DATA:-}
if [ -z "$data" ]; then
    for d in ../shared/data ./data; do [ -f "$d/manifest.json" ] && { data=$(cd "$d" && pwd); break; }; done
fi
mkdir -p "$build/logs" "$build/findings" "$build/seeds/checkpoint"
"$build/fuzz/fuzz_checkpoint_seeds" "$build/seeds/checkpoint"

seeds_of() {
    case "$1" in
        arch_string) echo fuzz/seeds/arch_string ;;
        arch_list) echo fuzz/seeds/arch_list tests/data/nas ;;
        measurements) echo fuzz/seeds/measurements tests/data/nas ;;
        checkpoint) echo "$build/seeds/checkpoint" ;;
    esac
}

# One target for `seconds`; its summary line on stdout; non-zero when it found something.
run_one() {
    local t=$1 log="$build/logs/$1.log"
    if [ "$t" != checkpoint ] && [ -z "$data" ]; then
        echo "  $t: skipped (no data folder: set NASFLAT_DATA)"
        return 0
    fi
    mkdir -p "$build/corpus/$t"
    # shellcheck disable=SC2046
    if ! NASFLAT_DATA="$data" ASAN_OPTIONS=detect_leaks=1 "$build/fuzz/fuzz_$t" \
            "$build/corpus/$t" $(seeds_of "$t") -dict=fuzz/nasflat.dict \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$build/findings/$t-" ${FUZZ_FLAGS:-} >"$log" 2>&1; then
        echo "  $t: FOUND SOMETHING (log: $log)"
        tail -n 30 "$log"
        echo "  replay: NASFLAT_DATA=$data $build/fuzz/fuzz_$t $build/findings/$t-<file>"
        return 1
    fi
    local last execs speed
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "  $t: ${seconds} s, $execs runs, $speed exec/s | $last"
}

echo "== fuzz: ${targets[*]}, $seconds s each =="
failed=0
if [ "${FUZZ_PARALLEL:-1}" = 2 ] && [ ${#targets[@]} -gt 1 ]; then
    for ((i = 0; i < ${#targets[@]}; i += 2)); do
        pids=()
        for t in "${targets[@]:i:2}"; do run_one "$t" & pids+=($!); done
        for p in "${pids[@]}"; do wait "$p" || failed=1; done
    done
else
    for t in "${targets[@]}"; do run_one "$t" || failed=1; done
fi
exit "$failed"
