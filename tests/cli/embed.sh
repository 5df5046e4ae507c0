#!/usr/bin/env bash
# `genobird embed` with the fixture model (tests/data/infer_model: hidden 16, 2 layers, 254 tokens per
# window) on the real lambda genome and bowtie2 reads: .npy read back by NumPy with its companion TSV,
# float16, safetensors, TSV, --pool none's token layout, BED --strand against extract -s + --fasta,
# records longer than the model's positions, --reads (one row per primary read), batch size, threads and
# shards not changing vectors, and errors (usage, bad input, nothing left behind).
source "$(dirname "$0")/lib.sh"
MODEL="$TEST_DATA/infer_model"
GENOME="$WORK/lambda.fa"
cp "$TEST_DATA/lambda_virus.fa" "$GENOME"
chrom=$(head -1 "$GENOME" | cut -c2- | cut -d' ' -f1)
# NumPy from Debian's python3-numpy: the first python3 on PATH that has it, else the system one.
PY=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" > /dev/null && "$candidate" -c 'import numpy' 2> /dev/null; then PY=$candidate; break; fi
done
[ -n "$PY" ] || { echo "python3-numpy is needed (tools/install-deps.sh)" >&2; exit 1; }

# 40 regions of 20 bp to 4 kb (the longest beyond the model's 254 tokens), both strands.
awk -v c="$chrom" 'BEGIN {
    srand(9)
    for (i = 0; i < 40; i++) {
      len = (i % 10 == 0) ? 4000 : 20 + int(rand() * 600); s = int(rand() * (48000 - len))
      printf "%s\t%d\t%d\tr%d\t0\t%s\n", c, s, s + len, i, (i % 2 ? "-" : "+")
    }
  }' > "$WORK/regions.bed"
"$GENOBIRD" extract --genome "$GENOME" --regions "$WORK/regions.bed" --strand --name -o "$WORK/regions.fa"

# .npy + companion TSV, read back by NumPy.
expect_status 0 "embed BED to .npy" -- "$GENOBIRD" embed --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -o "$WORK/e.npy"
expect_match "$WORK/err" "records? longer than the model's positions: embedded in overlapping windows" "long regions are windowed, and said so"
"$PY" - "$WORK/e.npy" "$WORK/e.tsv" "$WORK/regions.bed" <<'PY' && pass || fail "NumPy read-back of the .npy"
import sys, numpy as np
a = np.load(sys.argv[1])
assert a.shape == (40, 16) and a.dtype == np.float32, (a.shape, a.dtype)
assert np.isfinite(a).all()
rows = open(sys.argv[2]).read().splitlines()
assert rows[0] == "chrom\tstart\tend\tname\tscore\tstrand", rows[0]
assert rows[1:] == open(sys.argv[3]).read().splitlines(), "companion rows differ from the BED"
assert len({tuple(np.round(r, 5)) for r in a}) == 40, "distinct regions gave equal vectors"
PY

# BED --strand equals the extracted (reverse-complemented) sequences given as FASTA.
expect_status 0 "embed FASTA to TSV" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" -o "$WORK/f.tsv"
expect_status 0 "embed BED to TSV" -- "$GENOBIRD" embed --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -o "$WORK/b.tsv"
cut -f7- "$WORK/b.tsv" > "$WORK/b.values"
cut -f2- "$WORK/f.tsv" > "$WORK/f.values"
expect_same "$WORK/b.values" "$WORK/f.values" "BED --strand vectors equal those of extract -s sequences"
expect_match "$WORK/f.tsv" $'^name\te0\te1\t.*\te15$' "TSV header: name, e0..e15"
"$PY" - "$WORK/e.npy" "$WORK/b.tsv" <<'PY' && pass || fail "TSV values equal the .npy rows"
import sys, numpy as np
a = np.load(sys.argv[1])
t = np.loadtxt(sys.argv[2], skiprows=1, usecols=range(6, 22), dtype=np.float64)
assert np.abs(a - t).max() < 1e-5 * max(1, np.abs(a).max())
PY

# Batch size, thread count and shards do not change vectors.
expect_status 0 "batch size 1, 1 thread" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --batch-size 1 -t 1 -o "$WORK/b1.npy"
expect_status 0 "batch size 64, 2 threads" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --batch-size 64 -t 2 -o "$WORK/b64.npy"
for s in 0 1 2; do
  expect_status 0 "shard $s/3" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --shard $s/3 -o "$WORK/s$s.npy"
done
"$PY" - "$WORK" <<'PY' && pass || fail "batch size, threads and shards change vectors"
import sys, numpy as np
w = sys.argv[1]
a, b = np.load(w + "/b1.npy"), np.load(w + "/b64.npy")
assert a.shape == b.shape == (40, 16) and np.abs(a - b).max() < 1e-5, np.abs(a - b).max()
rows = {}
for s in range(3):
    names = open(f"{w}/s{s}.tsv").read().splitlines()[1:]
    for name, v in zip(names, np.load(f"{w}/s{s}.npy")): rows[name] = v
names = open(w + "/b1.tsv").read().splitlines()[1:]
assert sorted(rows) == sorted(names)
assert max(np.abs(rows[n] - v).max() for n, v in zip(names, a)) < 1e-5
PY

# float16 and safetensors.
expect_status 0 "embed --half" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --half -o "$WORK/h.npy"
expect_status 0 "embed to safetensors" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --layer 1 --pool cls -o "$WORK/e.safetensors"
"$PY" - "$WORK" <<'PY' && pass || fail "float16 .npy and safetensors read back"
import sys, json, struct, numpy as np
w = sys.argv[1]
h, f = np.load(w + "/h.npy"), np.load(w + "/b1.npy")
assert h.dtype == np.float16 and h.shape == (40, 16)
assert np.abs(h.astype(np.float32) - f).max() <= 2e-3 * max(1, np.abs(f).max())
raw = open(w + "/e.safetensors", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
def tensor(name, dtype):
    t = header[name]; b, e = t["data_offsets"]
    return np.frombuffer(data[b:e], dtype=dtype).reshape(t["shape"])
emb = tensor("embeddings", "<f4")
assert emb.shape == (40, 16), emb.shape
records = bytes(tensor("records", "u1")).decode().splitlines()
assert records == open(w + "/b1.tsv").read().splitlines(), records[:3]
meta = header["__metadata__"]
assert meta["pool"] == "cls" and meta["layer"] == "1" and meta["dim"] == "16", meta
assert np.abs(emb - f).max() > 1e-3, "layer 1 [CLS] vectors equal the last layer's means"
PY

# --pool none: one row per token, spans tiling each record, companion rows saying where records begin.
expect_status 0 "embed --pool none" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --pool none -o "$WORK/t.npy"
expect_status 0 "embed --pool none to safetensors" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --pool none -o "$WORK/t.safetensors"
"$PY" - "$WORK" <<'PY' && pass || fail "token layout"
import sys, json, struct, numpy as np
w = sys.argv[1]
t = np.load(w + "/t.npy")
rows = [line.split("\t") for line in open(w + "/t.tsv").read().splitlines()]
assert rows[0] == ["name", "token", "token_start", "token_end"], rows[0]
rows = rows[1:]
assert len(rows) == t.shape[0] and t.shape[1] == 16
seqs, name, seq = {}, None, []
for line in open(w + "/regions.fa"):
    if line.startswith(">"):
        if name: seqs[name] = "".join(seq)
        name, seq = line[1:].strip(), []
    else: seq.append(line.strip())
seqs[name] = "".join(seq)
starts = [i for i, r in enumerate(rows) if r[1] == "0"]
assert len(starts) == 40
for k, first in enumerate(starts):
    end = starts[k + 1] if k + 1 < len(starts) else len(rows)
    spans = [(int(r[2]), int(r[3])) for r in rows[first:end]]
    assert spans[0][0] == 0 and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert spans[-1][1] == len(seqs[rows[first][0]]), (rows[first][0], spans[-1])
    assert [int(r[1]) for r in rows[first:end]] == list(range(end - first))
pooled = np.load(w + "/b1.npy")
means = np.array([t[starts[k]:(starts[k + 1] if k + 1 < 40 else len(rows))].mean(0) for k in range(40)])
assert np.abs(means - pooled).max() < 1e-5, "mean pooling is not the mean of the token rows"
raw = open(w + "/t.safetensors", "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
def tensor(name, dtype):
    h = header[name]; b, e = h["data_offsets"]
    return np.frombuffer(data[b:e], dtype=dtype).reshape(h["shape"])
assert (tensor("offsets", "<i8") == np.array(starts + [len(rows)])).all()
assert (tensor("token_spans", "<i8") == np.array([[int(r[2]), int(r[3])] for r in rows])).all()
assert np.array_equal(tensor("embeddings", "<f4"), t)
PY

# --rc mean: a sequence and its reverse complement get the same vector.
"$GENOBIRD" extract --genome "$GENOME" --regions <(awk 'BEGIN{OFS="\t"} {$6 = ($6 == "+" ? "-" : "+"); print}' "$WORK/regions.bed") --strand --name -o "$WORK/flipped.fa"
expect_status 0 "rc mean" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --rc mean -o "$WORK/rc1.npy"
expect_status 0 "rc mean, other strand" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/flipped.fa" --rc mean -o "$WORK/rc2.npy"
"$PY" -c "import sys, numpy as np; a, b, f = (np.load(sys.argv[i]) for i in (1, 2, 3)); assert np.abs(a - b).max() < 1e-5 and np.abs(a - f).max() > 1e-3" \
  "$WORK/rc1.npy" "$WORK/rc2.npy" "$WORK/b1.npy" && pass || fail "--rc mean is not strand-free"

# --reads: one row per primary read, in file order, named as `genobird reads` names them.
expect_status 0 "embed reads" -- "$GENOBIRD" embed --model "$MODEL" --reads "$TEST_DATA/lambda_reads.bam" -o "$WORK/reads.npy"
"$GENOBIRD" reads --input "$TEST_DATA/lambda_reads.bam" | grep '^>' | cut -c2- | cut -d' ' -f1 > "$WORK/read_names"
tail -n +2 "$WORK/reads.tsv" > "$WORK/embedded_names"
expect_same "$WORK/embedded_names" "$WORK/read_names" "one row per primary read, in order"
"$PY" -c "import sys, numpy as np; assert np.load(sys.argv[1]).shape == (249, 16)" "$WORK/reads.npy" && pass || fail "249 reads"
expect_status 0 "embed aligned reads" -- "$GENOBIRD" embed --model "$MODEL" --reads "$TEST_DATA/lambda_aligned.bam" -o "$WORK/aligned.tsv"
primary=$("$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" | grep -c '^>')
rows=$(tail -n +2 "$WORK/aligned.tsv" | wc -l)
[ "$rows" -eq "$primary" ] && pass || fail "aligned BAM: $rows rows for $primary primary reads"

# Errors: usage (2) and bad input (1), with nothing left behind.
expect_status 2 "no input" -- "$GENOBIRD" embed --model "$MODEL" -o "$WORK/x.npy"
expect_status 2 "two inputs" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --reads "$TEST_DATA/lambda_reads.bam" -o "$WORK/x.npy"
expect_status 2 "--rc max" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --rc max -o "$WORK/x.npy"
expect_status 2 "--pool sum" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --pool sum -o "$WORK/x.npy"
expect_status 2 "--layer past the model" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --layer 3 -o "$WORK/x.npy"
expect_match "$WORK/err" "^genobird embed: error: --layer must be between -3 and 2" "layer range named"
expect_status 2 "--half to TSV" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --half -o "$WORK/x.tsv"
expect_status 2 "--rc mean with --pool none" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/regions.fa" --rc mean --pool none -o "$WORK/x.npy"
printf '%s\t10\t50\n%s\t5\t9\n' "$chrom" chrUnknown > "$WORK/bad.bed"
expect_status 1 "unknown chromosome" -- "$GENOBIRD" embed --model "$MODEL" --genome "$GENOME" --regions "$WORK/bad.bed" -o "$WORK/x.npy"
expect_match "$WORK/err" "bad.bed:2: chromosome \"chrUnknown\" is not in the genome" "error names the file, line and chromosome"
expect_absent "$WORK/x.npy" "failed run"
expect_absent "$WORK/x.tsv" "failed run's companion"
[ -z "$(ls "$WORK" | grep -E 'spool|x\.')" ] && pass || fail "scratch files left behind: $(ls "$WORK")"
expect_status 0 "--skip-invalid" -- "$GENOBIRD" embed --model "$MODEL" --genome "$GENOME" --regions "$WORK/bad.bed" --skip-invalid -o "$WORK/skip.tsv"
[ "$(tail -n +2 "$WORK/skip.tsv" | wc -l)" -eq 1 ] && pass || fail "--skip-invalid keeps the valid region only"
printf '>empty\n>ok\nACGTACGTTTGACCA\n' > "$WORK/empty.fa"
expect_status 1 "record without bases" -- "$GENOBIRD" embed --model "$MODEL" --fasta "$WORK/empty.fa" -o "$WORK/x.npy"
expect_match "$WORK/err" "empty.fa.*\"empty\" has no bases" "empty record named"
expect_status 1 "--reads of a FASTA" -- "$GENOBIRD" embed --model "$MODEL" --reads "$WORK/regions.fa" -o "$WORK/x.npy"
expect_status 0 "help" -- "$GENOBIRD" help embed
expect_match "$WORK/out" "--pool arg \(=mean\)" "--help shows the default pooling"

finish
