// Token batches for a classification head, and its predictions over a whole dataset.
//
// Every example becomes [CLS] tokens [SEP]. An example with more tokens than the model's positions is cut
// to its central tokens (chromatin windows are centred on their bin, so the centre is what matters).
// Batches are padded with [PAD] to their longest member, with an attention mask of the real tokens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/Device.h>

#include "model/model.h"
#include "tokenizer/tokenizer.h"
#include "train/labelled_data.h"

namespace genobird::train {

struct TokenizedExamples {
  std::vector<std::vector<std::int64_t>> forward;  // [CLS] ids [SEP] of each sequence
  std::vector<std::vector<std::int64_t>> reverse;  // the same for its reverse complement (empty if not asked)
  std::size_t truncated = 0;                        // examples cut to max_tokens
};

// `max_tokens` counts [CLS] and [SEP]; `threads` >= 1.
TokenizedExamples tokenize_examples(const LabelledDataset& dataset, const tokenizer::Tokenizer& tokenizer,
                                    std::int64_t max_tokens, bool with_reverse, int threads);

struct TokenBatch {
  at::Tensor input_ids;       // [batch, n] int64
  at::Tensor attention_mask;  // [batch, n] int64, 1 for real tokens
};

TokenBatch make_token_batch(const std::vector<std::vector<std::int64_t>>& sequences,
                            const std::vector<std::size_t>& indices, const c10::Device& device);

// How forward and reverse-complement predictions are merged.
enum class RcMode { kOff, kMean, kMax };
RcMode parse_rc_mode(const std::string& text);  // "off" | "mean" | "max"; UsageError otherwise

// Sigmoid probabilities of `head` for every example: [examples * labels] row-major. Runs in eval mode
// under inference mode (the model's training flag is restored). With RcMode other than kOff the
// examples must have been tokenized with their reverse complements.
std::vector<float> predict_probabilities(model::GenobirdModelImpl& model, const std::string& head,
                                         const TokenizedExamples& examples, std::int64_t batch_size,
                                         const c10::Device& device, RcMode rc);

}  // namespace genobird::train
