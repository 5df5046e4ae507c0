#!/usr/bin/env bash
# Pretraining throughput on the CPU: training tokens/s of `genobird pretrain` for the tiny and small shapes
# at 1024 and 4096 tokens per sequence, with 1 process (1 thread, then every core) and 2 data-parallel
# processes over Gloo on loopback (1 thread each), and the scaling efficiency
#   tokens/s with 2 ranks / (2 x tokens/s of 1 rank with 1 thread).
# Each run does STEPS steps of 4096 tokens per rank (batch = 4096 / length); tokens/s is that of the
# second half of the run (metrics.tsv's tokens_per_s on its last row), so start-up and the first, slower
# steps are left out.
#   tools/bench/pretrain.sh [GENOBIRD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
genobird=$(realpath "${1:-build-train/tools/genobird/genobird}")
steps=${STEPS:-6}
tools/fetch-example-data.sh 2>/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
genome=data/klebsiella/Klebs_HS11286.fna

"$genobird" tokenizer train --input "$genome" --vocab-size 4096 --max-bases 2000000 -o "$work/tok.json" -q
# The tiny preset's shape with room for 4096 positions; small as it is (16384 positions).
sed 's/"max_position_embeddings": 1024/"max_position_embeddings": 4096/' models/tiny.json > "$work/tiny.json"
cp models/small.json "$work/small.json"

# tokens_per_s of one run: run NAME THREADS RANKS CONFIG LENGTH
run() {
  local name=$1 threads=$2 ranks=$3 config=$4 length=$5
  local args=(pretrain --genome "$genome" --tokenizer "$work/tok.json" --config "$config" --steps "$steps"
              --log-every $((steps / 2)) --checkpoint-every 0 --seq-len "$length" --batch-size $((4096 / length))
              -t "$threads" -q --out "$work/$name")
  if [ "$ranks" -eq 1 ]; then
    "$genobird" "${args[@]}"
  else
    local port=$((20000 + RANDOM % 20000)) pids=()
    for rank in $(seq 1 $((ranks - 1))); do
      RANK=$rank WORLD_SIZE=$ranks MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$genobird" "${args[@]}" & pids+=($!)
    done
    RANK=0 WORLD_SIZE=$ranks MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$genobird" "${args[@]}"
    for pid in "${pids[@]}"; do wait "$pid"; done
  fi
  tail -1 "$work/$name/metrics.tsv" | cut -f8
}

printf "model\tseq_len\ttokens_per_s_1proc_1thread\ttokens_per_s_1proc_%sthreads\ttokens_per_s_2proc_1thread_each\tscaling_efficiency\n" "$(nproc)"
for model in tiny small; do
  for length in 1024 4096; do
    one=$(run "$model-$length-1" 1 1 "$work/$model.json" "$length")
    all=$(run "$model-$length-all" "$(nproc)" 1 "$work/$model.json" "$length")
    two=$(run "$model-$length-2" 1 2 "$work/$model.json" "$length")
    printf "%s\t%s\t%.0f\t%.0f\t%.0f\t%.2f\n" "$model" "$length" "$one" "$all" "$two" "$(echo "$two / (2 * $one)" | bc -l)"
  done
done
