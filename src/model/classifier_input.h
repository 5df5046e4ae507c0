// How a classification head reads DNA, shared by fine-tuning and evaluation (train) and by inference
// (infer): token ids framed as [CLS] ids [SEP], batches padded with [PAD] under an attention mask, and
// how forward and reverse-complement predictions are merged.
#pragma once

#include <ATen/ATen.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"

namespace genobird::model {

using TokenIds = std::vector<std::int32_t>;

// [CLS] ids [SEP] in at most `max_tokens` (which counts [CLS] and [SEP]): longer inputs keep their central
// ids, since a window is centred on what is to be scored. `truncated` says whether ids were cut.
TokenIds frame_tokens(const TokenIds& ids, std::int64_t max_tokens, bool& truncated);

struct TokenBatch {
  at::Tensor input_ids;       // [batch, n] int64
  at::Tensor attention_mask;  // [batch, n] int64, 1 for real tokens
};

// Rows `members` of `sequences`, in that order, padded with [PAD] to `length` tokens (0: the longest
// member), on `device`.
TokenBatch make_token_batch(const std::vector<TokenIds>& sequences, const std::vector<std::size_t>& members,
                            std::int64_t length, const c10::Device& device);

// Members of one forward pass, padded to `length` tokens.
struct ScoringBatch {
  std::vector<std::size_t> members;
  std::int64_t length = 0;
};

// Splits all rows of `sequences` into forward passes of at most `batch_size` that give every row the
// result it gets alone, whatever else is scored with it. Sequences of at most
// config.full_attention_max_tokens() tokens get full attention, where padded keys are masked out exactly,
// so they share passes, shortest first, padded to their longest (their scores can still differ from the
// single-sequence ones in the last bits, as matrix shapes change the order of floating-point sums). Longer
// ones get block-sparse attention, whose block layout (window, global last block, random blocks) follows the
// padded length: each is padded to its own multiple of block_size, as when scored alone (and as HuggingFace
// pads it), and only sequences with the same padded length share a pass.
std::vector<ScoringBatch> independent_batches(const std::vector<TokenIds>& sequences, std::size_t batch_size,
                                              const BigBirdConfig& config);

// How forward and reverse-complement predictions are merged.
enum class RcMode { kOff, kMean, kMax };
RcMode parse_rc_mode(const std::string& text);  // "off" | "mean" | "max"; UsageError otherwise

}  // namespace genobird::model
