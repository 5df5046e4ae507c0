// Masked-token accuracy and perplexity of a model's MLM head on held-out genome windows: the validation
// of `genobird pretrain --valid-genome` and `genobird evaluate --fasta`, and the windows the n-gram
// baseline (tools/bench/mlm_baseline.cc --fasta) scores.
//
// The held-out examples are a pure function of (FASTA files, tokenizer, seq_len, seed, masking, number of
// windows): windows of held_out_windows(), example i < N made by
// MlmExampleMaker(windows, tokenizer, seq_len, seed, kValidStream, masking).make(i) (mlm_data.h). So
// pretraining's validation and a later evaluation with the same settings score the same tokens, and their
// metrics agree up to the floating-point summation order of the batches.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "train/genome_windows.h"
#include "train/mlm_data.h"

namespace genobird::train {

// Settings of an evaluation on held-out FASTA files (`genobird evaluate --fasta`); the defaults are shown
// by --help.
struct MlmEvaluationOptions {
  std::int64_t seq_len = 0;  // tokens per window, [CLS] and [SEP] included; 0: default_eval_seq_len()
  std::int64_t windows = 256;
  MaskingOptions masking;    // mask_fraction is --mask-rate
  std::uint64_t seed = 42;   // pretraining's default --seed
  double max_n_fraction = kDefaultMaxNFraction;
};

// The --seq-len of an evaluation that names none: the model's max_position_embeddings, at most this many
// tokens (pretraining's windows are often longer, but 512 tokens keep a CPU evaluation of 256 windows
// within seconds to minutes; pass pretraining's --seq-len to reproduce its validation).
constexpr std::int64_t kMaxDefaultEvalSeqLen = 512;
inline std::int64_t default_eval_seq_len(std::int64_t max_position_embeddings) {
  return max_position_embeddings < kMaxDefaultEvalSeqLen ? max_position_embeddings : kMaxDefaultEvalSeqLen;
}

// Sums over masked positions; the metrics are those of pretraining's metrics.tsv.
struct MlmTotals {
  double loss_sum = 0;  // summed cross-entropy (natural log)
  double correct = 0;   // argmax prediction equal to the original token
  double count = 0;     // selected (masked) positions
  // The same over the selected positions whose input shows [MASK] (mlm_objective.h).
  double mask_loss_sum = 0;
  double mask_correct = 0;
  double mask_count = 0;

  double loss() const { return count > 0 ? loss_sum / count : 0.0; }
  double accuracy() const { return count > 0 ? correct / count : 0.0; }
  double perplexity() const { return std::exp(loss()); }
  double mask_accuracy() const { return mask_count > 0 ? mask_correct / mask_count : 0.0; }
  double mask_perplexity() const { return std::exp(mask_count > 0 ? mask_loss_sum / mask_count : 0.0); }
};

// Windows of held-out FASTA files (plain or bgzip, faidx-indexed on first use; a plain gzip file goes
// through io/indexable_fasta.h) for seq_len tokens: the window length is estimated on the first file
// (estimate_window_bp), every sequence at least one window long takes part, shorter ones are skipped.
// Throws InputError naming the first file when no sequence is long enough (with the longest length and
// the window length).
GenomeWindows held_out_windows(const tokenizer::Tokenizer& tokenizer, const std::vector<std::string>& fastas,
                               std::int64_t seq_len, double max_n_fraction);

// Scores examples `indices` of `maker` in batches of `batch_size`, without gradients. The model must be in
// eval mode (no dropout).
MlmTotals score_mlm_examples(model::GenobirdModelImpl& model, const MlmExampleMaker& maker,
                             const std::vector<std::uint64_t>& indices, std::int64_t batch_size,
                             const c10::Device& device);

}  // namespace genobird::train
