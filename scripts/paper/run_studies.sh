#!/usr/bin/env bash
# run_studies.sh — the paper's three studies (PAPER_RESULTS.md 2c, 2d, 2e) under protocol full,
# on the practitioner recipe (`--recipe practitioner`: S from the 2,400-architecture floor,
# 30 epochs; NB201 reference, FBNet fixed + FLOPs), scored after the last fine-tuning epoch
# (`--score final`, what `nasflat transfer` answers), without the self-check (it would blend the
# differences away). One `nasflat experiment` per (study, setting, task, trial), in order; a
# stopped run leaves every finished file. Each writes OUT/<study>_<setting>_<task>.t<K>.json
# and .log; merge trials with scripts/paper/merge_trials.py, tabulate with study_tables.py.
#
#   samplers  every sampler in one run per trial (they share its pre-training and draw from
#             the same seeds): random, params, kmeancosine over arch2vec / CATE / ZCP / CAZ,
#             the latency oracle, and kmeans / cosine over CAZ (the method study); T 5 10 20.
#   supp      the head's supplementary encoding (--supps, default none, zcp, caz, arch2vec,
#             cate, flops); random sampler; T 10 20.
#   buildup   the cumulative rows at T 20, supplementary input none unless named:
#             gin = device embedding to the head, no row transfer (--hwemb-to-mlp
#             --no-transfer-hwemb); transfer = + row transfer; ophw = + per-op device gates
#             (our model) with samplers random and kmeancosine:caz in one run (the +Sampler row);
#             supp = + the CAZ sampler and the supplementary encoding SUPP (--buildup-supp).
#
# Usage: scripts/paper/run_studies.sh [--bin PATH] [--out DIR] [--studies "samplers supp buildup"]
#            [--tasks "N0 ... F5"] [--trials N] [--first-trial K] [--threads N]
#            [--buildup-supp zcp] [--supps "none zcp caz arch2vec cate flops"]
set -uo pipefail
cd "$(dirname "$0")/../.."

bin=build/nas/cli/nasflat
out=study_runs
studies="samplers supp buildup"
tasks="N0 N1 N2 N3 N4 N5 F0 F1 F2 F3 F4 F5"
trials=1
first_trial=0
threads=0
buildup_supp=zcp
supps="none zcp caz arch2vec cate flops"
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2" ;;
        --out) out="$2" ;;
        --studies) studies="$2" ;;
        --tasks) tasks="$2" ;;
        --trials) trials="$2" ;;
        --first-trial) first_trial="$2" ;;
        --threads) threads="$2" ;;
        --buildup-supp) buildup_supp="$2" ;;
        --supps) supps="$2" ;;
        *) echo "run_studies: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
    shift 2
done
[ -x "$bin" ] || { echo "run_studies: no binary at $bin; fix: build it or pass --bin" >&2; exit 2; }
mkdir -p "$out"

SAMPLERS="random params kmeancosine:arch2vec kmeancosine:cate kmeancosine:zcp kmeancosine:caz
          latency kmeans:caz cosine:caz"

# run NAME ARGS...: one experiment per trial of every task, skipping finished files.
run() {
    local name=$1
    shift
    for task in $tasks; do
        for ((t = first_trial; t < first_trial + trials; ++t)); do
            local base="$out/${name}_${task}.t$t"
            [ -s "$base.json" ] && continue
            echo "run_studies: $name $task trial $((t + 1))"
            "$bin" experiment --recipe practitioner --protocol full --score final \
                --task "$task" --trials 1 --first-trial "$t" --threads "$threads" "$@" \
                --json "$base.json" > "$base.log" 2>&1 \
                || echo "run_studies: $name $task trial $((t + 1)) failed (see $base.log)" >&2
        done
    done
}

for study in $studies; do
    case "$study" in
        samplers)
            # shellcheck disable=SC2086
            run samplers --samples 5 10 20 --sampler $SAMPLERS ;;
        supp)
            for supp in $supps; do
                run "supp_$supp" --samples 10 20 --supp "$supp"
            done ;;
        buildup)
            run buildup_gin --samples 20 --supp none --hwemb-to-mlp --no-transfer-hwemb
            run buildup_transfer --samples 20 --supp none --hwemb-to-mlp
            run buildup_ophw --samples 20 --supp none --sampler random kmeancosine:caz
            run "buildup_supp_$buildup_supp" --samples 20 --supp "$buildup_supp" \
                --sampler kmeancosine:caz ;;
        *) echo "run_studies: unknown study $study (samplers, supp or buildup)" >&2; exit 2 ;;
    esac
done
echo "results in $out"
