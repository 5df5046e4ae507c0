// BigBird input embeddings, as HuggingFace's BigBirdEmbeddings: word + learned absolute position + token
// type, then dropout, then LayerNorm. Parameter names match HuggingFace's (word_embeddings.weight, ...,
// LayerNorm.weight).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>

#include "model/config.h"

namespace genobird::model {

class BigBirdEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BigBirdEmbeddingsImpl(const BigBirdConfig& config);

  // input_ids, token_type_ids: [batch, n] int64 (token_type_ids may be undefined: all type 0).
  // n must not exceed max_position_embeddings (ModelError otherwise). Returns [batch, n, hidden].
  at::Tensor forward(const at::Tensor& input_ids, const at::Tensor& token_type_ids);

  torch::nn::Embedding word_embeddings{nullptr};
  torch::nn::Embedding position_embeddings{nullptr};
  torch::nn::Embedding token_type_embeddings{nullptr};
  torch::nn::LayerNorm layer_norm{nullptr};
  torch::nn::Dropout dropout{nullptr};

 private:
  bool rescale_;
  double scale_;
  std::int64_t max_positions_;
};
TORCH_MODULE(BigBirdEmbeddings);

}  // namespace genobird::model
