#!/usr/bin/env bash
# genobird evaluate --fasta: masked-token accuracy and perplexity of a model's MLM head on random windows of a
# FASTA. Checks the columns, determinism, that a pretraining run's validation metrics are reproduced from its
# model directory, that mlm_baseline --fasta scores the same positions, and the errors.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
BASELINE="$(dirname "$GENOBIRD")/../bench/mlm_baseline"
MODEL="$TEST_DATA/infer_model"
LAMBDA="$TEST_DATA/lambda_virus.fa"
split_lambda
column() {  # FILE NAME: the value of column NAME in the last row of a TSV
  awk -F'\t' -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i } END { print (c ? $c : "missing") }' "$1"
}

expect_status 0 "help" -- "$GENOBIRD" help evaluate
expect_match "$WORK/out" "--fasta" "help lists --fasta"
expect_match "$WORK/out" "mask_accuracy" "help lists the MLM columns"

# Defaults: 256 windows of the model's 256 positions; ~15% of the 254 body tokens masked, ~80% of them [MASK].
expect_status 0 "evaluate --fasta" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" -t 1 -o "$WORK/default.tsv"
expect_match "$WORK/default.tsv" "^windows	masked_tokens	loss	accuracy	perplexity	mask_shown_tokens	mask_accuracy	mask_perplexity$" "header"
[ "$(wc -l < "$WORK/default.tsv")" -eq 2 ] && pass || fail "expected a header and one row: $(cat "$WORK/default.tsv")"
[ "$(column "$WORK/default.tsv" windows)" = 256 ] && pass || fail "default --windows is 256"
awk -F'\t' 'NR == 2 { m = $2 / (256 * 254); s = $6 / $2
  exit !(m > 0.14 && m < 0.16 && s > 0.77 && s < 0.83 && $4 >= 0 && $4 <= 1 && $7 >= 0 && $7 <= 1 && $5 > 1 && $8 > 1 && $5 - exp($3) < 1e-4 * $5 && exp($3) - $5 < 1e-4 * $5) }' \
  "$WORK/default.tsv" && pass || fail "masked fraction, [MASK] share, metric ranges or perplexity = exp(loss): $(cat "$WORK/default.tsv")"
expect_match "$WORK/err" "256 windows of 256 tokens" "log says windows and tokens"

# Determinism: the same seed gives the same windows and masks, another seed others; threads and batch size do
# not change which tokens are scored.
EVAL=(evaluate --model "$MODEL" --fasta "$LAMBDA" --windows 32 --seq-len 128)
expect_status 0 "seed 5" -- "$GENOBIRD" "${EVAL[@]}" --seed 5 -t 1 -o "$WORK/seed5.tsv"
expect_status 0 "seed 5 again" -- "$GENOBIRD" "${EVAL[@]}" --seed 5 -t 1 -o "$WORK/seed5_again.tsv"
expect_same "$WORK/seed5.tsv" "$WORK/seed5_again.tsv" "same seed, same output"
expect_status 0 "seed 6" -- "$GENOBIRD" "${EVAL[@]}" --seed 6 -t 1 -o "$WORK/seed6.tsv"
[ "$(column "$WORK/seed5.tsv" masked_tokens)" != "$(column "$WORK/seed6.tsv" masked_tokens)" ] && pass ||
  fail "another seed masks other tokens: $(cat "$WORK/seed5.tsv" "$WORK/seed6.tsv")"
expect_status 0 "2 threads, batches of 5" -- "$GENOBIRD" "${EVAL[@]}" --seed 5 -t 2 --batch-size 5 -o "$WORK/batched.tsv"
for name in windows masked_tokens mask_shown_tokens; do
  [ "$(column "$WORK/batched.tsv" $name)" = "$(column "$WORK/seed5.tsv" $name)" ] && pass || fail "$name depends on batching"
done
expect_status 0 "--mask-rate 0.3" -- "$GENOBIRD" "${EVAL[@]}" --seed 5 --mask-rate 0.3 -t 1 -o "$WORK/rate.tsv"
awk -F'\t' 'NR == 2 { exit !($2 / (32 * 126) > 0.26 && $2 / (32 * 126) < 0.34) }' "$WORK/rate.tsv" && pass ||
  fail "--mask-rate 0.3 masks ~30%: $(cat "$WORK/rate.tsv")"
expect_status 0 "--json" -- "$GENOBIRD" "${EVAL[@]}" --seed 5 -t 1 --json
python3 - "$WORK/out" "$WORK/seed5.tsv" <<'PY' && pass || fail "JSON fields agree with the TSV"
import json, sys
j = json.load(open(sys.argv[1]))
header, row = [line.rstrip("\n").split("\t") for line in open(sys.argv[2])]
tsv = dict(zip(header, row))
assert j["seq_len"] == 128 and j["windows"] == 32 and j["seed"] == 5 and j["mask_rate"] == 0.15, j
for key in ("masked_tokens", "mask_shown_tokens"):
    assert j[key] == int(tsv[key]), key
for key in ("loss", "accuracy", "perplexity", "mask_accuracy", "mask_perplexity"):
    assert abs(j[key] - float(tsv[key])) <= 1e-7 * max(1.0, abs(j[key])), key
PY

# A pretraining run's last validation (metrics.tsv) is reproduced from its model directory, to every printed
# digit, with the same --seed, --seq-len, --windows (= --valid-windows) and --batch-size.
write_tiny_config "$WORK/tiny.json" 0.1
cp "$LAMBDA" "$WORK/held_out.fa"
expect_status 0 "tiny pretraining run" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" --config "$WORK/tiny.json" --steps 4 \
  --batch-size 4 --seq-len 64 --valid-windows 24 --seed 7 -t 1 --genome "$WORK/left.fa" --valid-genome "$WORK/held_out.fa" --out "$WORK/run"
expect_status 0 "evaluate the run's model" -- "$GENOBIRD" evaluate --model "$WORK/run" --fasta "$WORK/held_out.fa" --seq-len 64 \
  --windows 24 --seed 7 --batch-size 4 -t 1 -o "$WORK/run.tsv"
for pair in loss:valid_loss accuracy:valid_accuracy perplexity:valid_perplexity mask_accuracy:valid_mask_accuracy \
            mask_perplexity:valid_mask_perplexity; do
  got=$(column "$WORK/run.tsv" "${pair%%:*}") want=$(column "$WORK/run/metrics.tsv" "${pair##*:}")
  [ "$got" = "$want" ] && pass || fail "evaluate ${pair%%:*} $got, pretrain ${pair##*:} $want"
done
expect_status 0 "evaluate with another seed" -- "$GENOBIRD" evaluate --model "$WORK/run" --fasta "$WORK/held_out.fa" --seq-len 64 \
  --windows 24 --seed 8 --batch-size 4 -t 1 -o "$WORK/run8.tsv"
[ "$(column "$WORK/run8.tsv" loss)" != "$(column "$WORK/run/metrics.tsv" valid_loss)" ] && pass ||
  fail "negative control: another seed scores other tokens"
# Compressed copies hold the same sequences: the same windows. A plain gzip file is read through a temporary
# decompressed copy, which is removed afterwards; its errors name the file given.
gzip -c "$WORK/held_out.fa" > "$WORK/plain.fa.gz"
mkdir "$WORK/tmp"
TMPDIR="$WORK/tmp" expect_status 0 "gzip FASTA" -- "$GENOBIRD" evaluate --model "$WORK/run" --fasta "$WORK/plain.fa.gz" --seq-len 64 \
  --windows 24 --seed 7 --batch-size 4 -t 1 -o "$WORK/run_gzip.tsv"
expect_same "$WORK/run.tsv" "$WORK/run_gzip.tsv" "gzip FASTA scored like the plain one"
[ -z "$(ls -A "$WORK/tmp")" ] && pass || fail "temporary copy left behind: $(ls -A "$WORK/tmp")"
printf ">short\nACGTACGTAC\n" | gzip > "$WORK/short.fa.gz"
expect_status 1 "gzip FASTA with no sequence one window long" -- "$GENOBIRD" evaluate --model "$WORK/run" --fasta "$WORK/short.fa.gz" --seq-len 64
expect_match "$WORK/err" "error: $WORK/short.fa.gz: no sequence is at least one window long" "names the gzip file"
if command -v bgzip > /dev/null; then
  bgzip -c "$WORK/held_out.fa" > "$WORK/held_out.fa.gz"
  expect_status 0 "bgzip FASTA" -- "$GENOBIRD" evaluate --model "$WORK/run" --fasta "$WORK/held_out.fa.gz" --seq-len 64 \
    --windows 24 --seed 7 --batch-size 4 -t 1 -o "$WORK/run_bgzip.tsv"
  expect_same "$WORK/run.tsv" "$WORK/run_bgzip.tsv" "bgzip FASTA scored like the plain one"
fi

# mlm_baseline --fasta scores the positions evaluate --fasta scores, and pretrain's validation ones with
# --valid-genome.
"$BASELINE" --genome "$WORK/left.fa" --fasta "$WORK/held_out.fa" --tokenizer "$WORK/run/tokenizer.json" --seq-len 64 --windows 24 \
  --seed 7 > "$WORK/baseline.tsv" 2> "$WORK/err" && pass || fail "mlm_baseline --fasta: $(head -c 300 "$WORK/err")"
baseline_field() { awk -F'\t' -v p="$1" '$1 == "bidirectional_ngram" && $2 == p { print $3 }' "$WORK/baseline.tsv"; }
[ "$(baseline_field all)" = "$(column "$WORK/run.tsv" masked_tokens)" ] && pass || fail "baseline and evaluate: masked tokens"
[ "$(baseline_field mask_shown)" = "$(column "$WORK/run.tsv" mask_shown_tokens)" ] && pass || fail "baseline and evaluate: [MASK] tokens"
"$BASELINE" --genome "$WORK/left.fa" --valid-genome "$WORK/held_out.fa" --tokenizer "$WORK/run/tokenizer.json" --seq-len 64 \
  --valid-windows 24 --seed 7 > "$WORK/baseline_valid.tsv" 2> "$WORK/err" && pass || fail "mlm_baseline --valid-genome"
expect_same "$WORK/baseline.tsv" "$WORK/baseline_valid.tsv" "baseline --fasta and --valid-genome: the same examples"
expect_status 2 "baseline --fasta without --seq-len" -- "$BASELINE" --genome "$WORK/left.fa" --fasta "$WORK/held_out.fa" --tokenizer "$TOKENIZER"
expect_status 2 "baseline with --fasta and --valid-genome" -- "$BASELINE" --genome "$WORK/left.fa" --fasta "$WORK/held_out.fa" \
  --valid-genome "$WORK/right.fa" --tokenizer "$TOKENIZER" --seq-len 64

# Errors.
cp -r "$MODEL" "$WORK/no_mlm"
python3 - "$WORK/no_mlm" <<'PY'
# Drops the MLM head: from genobird.json and its tensors (cls.*) from model.safetensors.
import json, struct, sys
folder = sys.argv[1]
meta = json.load(open(folder + "/genobird.json"))
meta["heads"] = [h for h in meta["heads"] if h["kind"] != "mlm"]
json.dump(meta, open(folder + "/genobird.json", "w"), indent=2)
blob = open(folder + "/model.safetensors", "rb").read()
length = struct.unpack("<Q", blob[:8])[0]
header, data = json.loads(blob[8:8 + length]), blob[8 + length:]
kept, out, offset = {}, bytearray(), 0
for name, info in header.items():
    if name == "__metadata__":
        kept[name] = info
        continue
    if name.startswith("cls."):
        continue
    begin, end = info["data_offsets"]
    kept[name] = dict(info, data_offsets=[offset, offset + end - begin])
    out += data[begin:end]
    offset += end - begin
text = json.dumps(kept).encode()
text += b" " * (-len(text) % 8)
open(folder + "/model.safetensors", "wb").write(struct.pack("<Q", len(text)) + text + out)
PY
expect_status 0 "the copy without an MLM head still loads" -- "$GENOBIRD" model info "$WORK/no_mlm"
expect_status 1 "model without an MLM head" -- "$GENOBIRD" evaluate --model "$WORK/no_mlm" --fasta "$LAMBDA" -o "$WORK/no_mlm.tsv"
expect_match "$WORK/err" "error: .*no_mlm: the model has no masked-language-model head" "names the model directory"
expect_absent "$WORK/no_mlm.tsv" "no output after an error"
printf ">short\nACGTACGTAC\n>shorter\nACGT\n" > "$WORK/short.fa"
expect_status 1 "no sequence one window long" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$WORK/short.fa" --seq-len 64
expect_match "$WORK/err" "short.fa: no sequence is at least one window long: the longest is 10 bp, a window is [0-9]+ bp" \
  "names the file, the longest sequence and the window length"
expect_status 1 "missing FASTA" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$WORK/none.fa"
expect_match "$WORK/err" "none.fa" "names the missing FASTA"
expect_status 2 "--data and --fasta" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" --data "$WORK/none.tsv"
expect_match "$WORK/err" "give --data or --fasta, not both" "says which options clash"
expect_status 2 "neither --data nor --fasta" -- "$GENOBIRD" evaluate --model "$MODEL"
expect_status 2 "--rc with --fasta" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" --rc max
expect_status 2 "--windows with --data" -- "$GENOBIRD" evaluate --model "$MODEL" --data "$WORK/none.tsv" --windows 4
expect_status 2 "--seq-len beyond the model's positions" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" --seq-len 1000
expect_match "$WORK/err" "exceeds the model's max_position_embeddings 256" "says the limit"
expect_status 2 "--windows 0" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" --windows 0
expect_status 2 "--mask-rate 0" -- "$GENOBIRD" evaluate --model "$MODEL" --fasta "$LAMBDA" --mask-rate 0
finish
