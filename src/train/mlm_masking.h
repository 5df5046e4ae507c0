// Masked-language-model corruption of a token sequence (BERT, Devlin et al. 2019, section 3.1):
// each maskable token is selected with probability `mask_fraction` (15%); a selected token becomes
// [MASK] with probability 80%, a random ordinary token 10%, and stays unchanged 10%. The model is
// trained to predict the original token at every selected position.
//
// Tokens are chosen independently (as HuggingFace's DataCollatorForLanguageModeling does), so the number
// masked per sequence varies around 15%. Special tokens ([CLS], [SEP], [PAD], ...) are never selected.
// Random replacements are drawn from the ordinary tokens only (ids above the special ones).
#pragma once

#include <cstdint>
#include <vector>

#include "train/random.h"

namespace genobird::train {

// Label of a position that is not predicted (PyTorch's cross-entropy ignore_index).
constexpr std::int64_t kIgnoreLabel = -100;

struct MaskingOptions {
  double mask_fraction = 0.15;   // of maskable tokens, selected for prediction
  double replace_with_mask = 0.8;  // of selected tokens, replaced by [MASK]
  double replace_random = 0.1;     // of selected tokens, replaced by a random ordinary token; the rest stay
};

// Corrupts `ids` in place and fills `labels` (same length: the original id at selected positions,
// kIgnoreLabel elsewhere). `maskable[i]` is false for positions that must not be selected. Ordinary
// tokens are ids first_ordinary_id .. vocab_size - 1. Returns the number of selected positions.
std::int64_t mask_tokens(std::vector<std::int64_t>& ids, std::vector<std::int64_t>& labels,
                         const std::vector<bool>& maskable, std::int64_t mask_id, std::int64_t first_ordinary_id,
                         std::int64_t vocab_size, SplitMix64& rng, const MaskingOptions& options = {});

}  // namespace genobird::train
