#!/usr/bin/env bash
# The "Performance and scale" figures of BENCHMARKS.md: every command, results in benchmarks/results/.
#   bash benchmarks/run_all.sh [only-these-steps...]   (steps: replay sweep convert inference train)
# Modest sizes for a 2-core machine; each command's last stdout line is its JSON result.
set -euo pipefail
cd "$(dirname "$0")/.."
R=benchmarks/results
mkdir -p "$R"
steps="${*:-replay sweep convert inference train}"
run() { echo "+ synthclin $*" >&2; python -m spacy_synthclin "$@" | tail -1; }
for step in $steps; do
  case "$step" in
    replay)
      run bench replay --config configs/generate_ner_disease.cfg --rounds 5 --json-out "$R/replay.json" ;;
    sweep)
      run bench sweep --concurrency 8,32,128 --latency 0.05,0.2,1.0 --max-requests 1024 \
        --plot benchmarks/generate_throughput_vs_concurrency.png --json-out "$R/sweep.json" ;;
    convert)
      run bench convert --sizes 1000,10000,30000,100000 --shard-size 5000 --single \
        --plot benchmarks/convert_peak_rss_vs_corpus_size.png --json-out "$R/convert.json" ;;
    inference)
      run bench inference --config configs/ner_cpu.cfg --batch-size 64,256 --n-process 1,2 --json-out "$R/inference_cpu.json"
      run bench inference --config configs/ner_trf.cfg --batch-size 32,128 --n-process 1 --json-out "$R/inference_trf.json"
      # n_process > 1 with torch: one torch thread per process (forked workers hang otherwise)
      run bench inference --config configs/ner_trf.cfg --batch-size 32,128 --n-process 1,2 --torch-threads 1 \
        --json-out "$R/inference_trf_1thread.json" ;;
    train)
      run bench train --config configs/ner_cpu.cfg --steps 300 --json-out "$R/train_cpu.json"
      run bench train --config configs/ner_trf.cfg --steps 200 --json-out "$R/train_trf.json" ;;
    *) echo "unknown step $step" >&2; exit 2 ;;
  esac
done
