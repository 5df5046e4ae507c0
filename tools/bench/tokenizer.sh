#!/usr/bin/env bash
# Tokenizer benchmark: genobird tokenizer vs sentencepiece (Debian's spm_train/spm_encode), BPE, same
# vocabulary, same bases, one run, figures side by side (see ../shared/docs/BENCHMARKS.md, "Tokenizer").
#   tools/bench/tokenizer.sh [BUILD_DIR] [VOCAB_SIZE]
# Input: the four Klebsiella genomes of tools/fetch-example-data.sh (data/klebsiella/*.fna). sentencepiece
# reads them as 1000 bp lines (its sentences); genobird reads the FASTA itself.
# Measures whole-process wall time and peak memory (/usr/bin/time -v), in-process encoding Mbp/s with 1
# thread and all threads (genobird's own timing of its encoder), and mean bp per token on the same input.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
vocab=${2:-4096}
genobird=$build/tools/genobird/genobird
threads=$(nproc)
genomes=(data/klebsiella/*.fna)
[ -x "$genobird" ] || { echo "no $genobird: build first (cmake --build $build)" >&2; exit 1; }
[ -e "${genomes[0]}" ] || { echo "no data/klebsiella/*.fna: run tools/fetch-example-data.sh" >&2; exit 1; }
command -v spm_train >/dev/null || { echo "spm_train missing: apt-get install sentencepiece" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat "${genomes[@]}" > "$work/genomes.fa"
# One 1000 bp line per sentence for sentencepiece; the same lines as FASTA records for genobird's
# bp-per-token figure on identical sentences.
awk '/^>/ { if (seq != "") print seq; seq = ""; next } { seq = seq $0 } END { print seq }' "$work/genomes.fa" |
  fold -w 1000 > "$work/lines.txt"
awk '{ print ">s" NR; print }' "$work/lines.txt" > "$work/lines.fa"
bases=$(tr -d '\n' < "$work/lines.txt" | wc -c)

# timed NAME command...: runs it under /usr/bin/time -v, records wall seconds and peak MiB.
timed() {
  local name=$1
  shift
  /usr/bin/time -v "$@" > "$work/$name.out" 2> "$work/$name.time"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/$name.time")
  peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
  echo "$wall $peak"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }
per_token() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
mbps() { awk -v n="$bases" -v s="$1" 'BEGIN { printf "%.2f", n / s / 1e6 }'; }

echo "input: ${#genomes[@]} genomes, $bases bp; vocabulary $vocab; $threads threads; $(date -u +%F) $(uname -m)"

read -r spm_train_s spm_train_mib < <(timed spm_train spm_train --input="$work/lines.txt" --model_prefix="$work/spm" \
  --model_type=bpe --vocab_size="$vocab" --character_coverage=1.0 --num_threads="$threads" \
  --max_sentence_length=2000 --input_sentence_size=0 --add_dummy_prefix=false --minloglevel=2)
read -r gb_train_s gb_train_mib < <(timed gb_train "$genobird" tokenizer train --input "$work/genomes.fa" \
  --vocab-size "$vocab" -t "$threads" -o "$work/tokenizer.json" -q)

read -r spm_enc_s spm_enc_mib < <(timed spm_encode spm_encode --model="$work/spm.model" --output_format=id "$work/lines.txt")
spm_tokens=$(wc -w < "$work/spm_encode.out")
read -r gb_enc_s gb_enc_mib < <(timed gb_encode "$genobird" tokenizer encode --tokenizer "$work/tokenizer.json" \
  --input "$work/genomes.fa" -t "$threads" -o "$work/ids.tsv")
gb_tokens=$(cut -f2 "$work/ids.tsv" | wc -w)
read -r gb_enc1_s gb_enc1_mib < <(timed gb_encode1 "$genobird" tokenizer encode --tokenizer "$work/tokenizer.json" \
  --input "$work/genomes.fa" -t 1 -o /dev/null)
inproc() { sed -n 's/.*encoding alone ran at \([0-9.]*\) Mbp\/s.*/\1/p' "$work/$1.time"; }
gb_line_tokens=$("$genobird" tokenizer info "$work/tokenizer.json" --input "$work/lines.fa" -t "$threads" |
  awk -F'\t' '$1 == "input_tokens" { print $2 }')

printf '\n%-44s %14s %14s %8s\n' "" "genobird" "sentencepiece" "ratio"
printf '%-44s %14s %14s %8s\n' "training wall time (s)" "$gb_train_s" "$spm_train_s" "$(ratio "$spm_train_s" "$gb_train_s")x"
printf '%-44s %14s %14s\n' "training peak memory (MiB)" "$gb_train_mib" "$spm_train_mib"
printf '%-44s %14s %14s %8s\n' "encoding wall time, whole process (s)" "$gb_enc_s" "$spm_enc_s" "$(ratio "$spm_enc_s" "$gb_enc_s")x"
printf '%-44s %14s %14s %8s\n' "encoding Mbp/s, whole process" "$(mbps "$gb_enc_s")" "$(mbps "$spm_enc_s")" "$(ratio "$spm_enc_s" "$gb_enc_s")x"
printf '%-44s %14s %14s\n' "encoding Mbp/s, whole process, 1 thread" "$(mbps "$gb_enc1_s")" "-"
printf '%-44s %14s %14s\n' "encoding Mbp/s in process, 1 thread" "$(inproc gb_encode1)" "-"
printf '%-44s %14s %14s\n' "encoding Mbp/s in process, $threads threads" "$(inproc gb_encode)" "-"
printf '%-44s %14s %14s\n' "encoding peak memory (MiB)" "$gb_enc_mib" "$spm_enc_mib"
printf '%-44s %14s %14s %8s\n' "bp per token, 1000 bp lines" "$(per_token "$bases" "$gb_line_tokens")" \
  "$(per_token "$bases" "$spm_tokens")" "$(awk -v a="$spm_tokens" -v b="$gb_line_tokens" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }')"
printf '%-44s %14s %14s\n' "bp per token, whole genomes" "$(per_token "$bases" "$gb_tokens")" "-"
awk -v s="$gb_enc_s" -v s1="$gb_enc1_s" -v n="$bases" -v th="$threads" 'BEGIN {
  printf "\nprojection for a 3.1 Gbp human genome (genobird encode, whole process): %.0f s with %d threads, %.0f s with 1\n",
    3.1e9 / (n / s), th, 3.1e9 / (n / s1) }'
