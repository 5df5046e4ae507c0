// The masked-language-model objective on one batch: cross-entropy of the MLM head's prediction at the
// selected positions only. The head (dense + LayerNorm + vocabulary projection) works position by
// position, so it is applied to the gathered hidden states of the selected positions instead of to all
// of them: about 15% of the head's work, with the same result (checked by a test against the full head).
#pragma once

#include <cstdint>

#include "model/model.h"
#include "train/mlm_data.h"

namespace genobird::train {

struct MlmLoss {
  at::Tensor loss_sum;       // scalar: summed cross-entropy over the selected positions (differentiable)
  std::int64_t correct = 0;  // selected positions whose argmax prediction is the original token
  std::int64_t count = 0;    // selected positions
  // The same over the selected positions that show [MASK] (80% of them). At the others the input shows the
  // answer (10%, kept) or a random token (10%), so a model that copies what it sees scores 10% without
  // reading any context; here it has only the context, as a predictor from the neighbours has.
  double mask_shown_loss_sum = 0;
  std::int64_t mask_shown_correct = 0;
  std::int64_t mask_shown_count = 0;
};

// Forward pass of `model` on `batch` (moved to `device`).
MlmLoss mlm_loss(model::GenobirdModelImpl& model, const MlmBatch& batch, const c10::Device& device);

}  // namespace genobird::train
