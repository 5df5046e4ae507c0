// Fresh weights.
//
// kNormal is HuggingFace's BigBirdPreTrainedModel._init_weights: linear and embedding weights
// ~ normal(0, initializer_range), biases zero, the padding token's embedding zero, LayerNorm weight 1 and
// bias 0, the MLM output bias zero.
//
// kLocalHeads starts from kNormal and then gives the first layer's heads a fixed neighbour to look at:
// head h attends to the token at offset -1, +1, -2, +2, -3, ... from its query. Trained from normal
// weights, masked-token prediction on DNA first learns only to copy the visible token, and sits at that
// level until attention to the neighbours forms (thousands of steps on these model sizes); with the
// neighbours in view from the start that plateau is gone. It is the idea of mimetic initialisation
// (Trockman and Kolter, ICML 2023) made exact for absolute positions:
//   - the first 2P dimensions (P = min(head_dim, hidden / 2) / 2 planes) of the position embeddings (zero
//     in all others)
//     hold sinusoids, sin(i w_k) and cos(i w_k), with frequencies w_k from 3/4 pi down to pi/8;
//     the word and token type embeddings are zero there and keep their normal values
//     everywhere else, so after the embeddings' LayerNorm a position's plane k is a unit-scale rotation;
//   - head h's query reads plane k as it is and its key reads it rotated back by delta_h * w_k, so the
//     score of key j is proportional to sum_k cos((i + delta_h - j) w_k), largest at j = i + delta_h.
//     The scale puts that key 8 nats above any other offset and ln(max_position_embeddings) + 4 nats above
//     a key whose planes are out of phase, so it holds most of the weight in the longest input.
// Everything else (values, outputs, other layers, heads beyond the offsets) keeps its normal weights,
// and the model is an ordinary BigBird checkpoint: HuggingFace reads it unchanged.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.h"

namespace genobird::model {

enum class WeightInit { kNormal, kLocalHeads };

// "normal" or "local"; throws UsageError otherwise.
WeightInit parse_weight_init(const std::string& name);

// The name parse_weight_init takes.
const char* weight_init_name(WeightInit init);

// Draws from torch's global generator: call at::manual_seed(seed) first for a reproducible model.
void initialize_weights(GenobirdModelImpl& model, WeightInit init = WeightInit::kNormal);

// The offset from its query that head `head` of the first layer attends to under kLocalHeads.
std::int64_t local_head_offset(std::int64_t head);

}  // namespace genobird::model
