// Fresh weights as HuggingFace's BigBirdPreTrainedModel._init_weights: linear and embedding weights
// ~ normal(0, initializer_range), biases zero, the padding token's embedding zero, LayerNorm weight 1 and
// bias 0, the MLM output bias zero.
#pragma once

#include "model/model.h"

namespace genobird::model {

// Draws from torch's global generator: call at::manual_seed(seed) first for a reproducible model.
void initialize_weights(GenobirdModelImpl& model);

}  // namespace genobird::model
