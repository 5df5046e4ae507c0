#include "model/embeddings.h"

#include <cmath>

#include "util/error.h"

namespace genobird::model {

BigBirdEmbeddingsImpl::BigBirdEmbeddingsImpl(const BigBirdConfig& config)
    : rescale_(config.rescale_embeddings),
      scale_(std::sqrt(static_cast<double>(config.hidden_size))),
      max_positions_(config.max_position_embeddings) {
  word_embeddings = register_module(
      "word_embeddings", torch::nn::Embedding(torch::nn::EmbeddingOptions(config.vocab_size, config.hidden_size)
                                                  .padding_idx(config.pad_token_id)));
  position_embeddings = register_module(
      "position_embeddings", torch::nn::Embedding(config.max_position_embeddings, config.hidden_size));
  token_type_embeddings =
      register_module("token_type_embeddings", torch::nn::Embedding(config.type_vocab_size, config.hidden_size));
  layer_norm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(config.hidden_dropout_prob));
}

at::Tensor BigBirdEmbeddingsImpl::forward(const at::Tensor& input_ids, const at::Tensor& token_type_ids) {
  const std::int64_t n = input_ids.size(1);
  if (n > max_positions_)
    throw ModelError("input of " + std::to_string(n) + " tokens is longer than the model's max_position_embeddings (" +
                     std::to_string(max_positions_) + ")");
  at::Tensor words = word_embeddings(input_ids);  // [batch, n, hidden]
  if (rescale_) words = words * scale_;
  at::Tensor positions = at::arange(n, input_ids.options());  // [n]
  at::Tensor types = token_type_ids.defined() ? token_type_ids : at::zeros_like(input_ids);
  at::Tensor sum = words + position_embeddings(positions).unsqueeze(0) + token_type_embeddings(types);
  return layer_norm(dropout(sum));
}

}  // namespace genobird::model
