#include "model/heads.h"

#include "model/activation.h"
#include "util/error.h"

namespace genobird::model {

LmTransformImpl::LmTransformImpl(const BigBirdConfig& config) : activation_(config.hidden_act) {
  dense = register_module("dense", torch::nn::Linear(config.hidden_size, config.hidden_size));
  layer_norm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
}

at::Tensor LmTransformImpl::forward(const at::Tensor& hidden) {
  return layer_norm(activation(dense(hidden), activation_));
}

LmPredictionsImpl::LmPredictionsImpl(const BigBirdConfig& config) {
  transform = register_module("transform", LmTransform(config));
  bias = register_parameter("bias", at::zeros({config.vocab_size}));
}

at::Tensor LmPredictionsImpl::forward(const at::Tensor& hidden, const at::Tensor& word_embeddings) {
  return at::linear(transform(hidden), word_embeddings, bias);
}

MaskedLmHeadImpl::MaskedLmHeadImpl(const BigBirdConfig& config) {
  predictions = register_module("predictions", LmPredictions(config));
}

ClassificationHeadImpl::ClassificationHeadImpl(const BigBirdConfig& config, std::int64_t num_labels, Pooling pooling)
    : activation_(config.hidden_act), pooling_(pooling) {
  double p = config.classifier_dropout >= 0 ? config.classifier_dropout : config.hidden_dropout_prob;
  dropout = register_module("dropout", torch::nn::Dropout(p));
  dense = register_module("dense", torch::nn::Linear(config.hidden_size, config.hidden_size));
  out_proj = register_module("out_proj", torch::nn::Linear(config.hidden_size, num_labels));
}

at::Tensor ClassificationHeadImpl::forward(const at::Tensor& sequence_output, const at::Tensor& real) {
  at::Tensor pooled;  // [batch, hidden]
  if (pooling_ == Pooling::kFirst) {
    pooled = sequence_output.select(1, 0);  // the CLS token
  } else if (!real.defined()) {
    pooled = sequence_output.mean(1);
  } else {
    at::Tensor weight = real.to(sequence_output.scalar_type()).unsqueeze(-1);  // [batch, n, 1]
    pooled = (sequence_output * weight).sum(1) / weight.sum(1).clamp_min(1);
  }
  return out_proj(dropout(activation(dense(dropout(pooled)), activation_)));
}

}  // namespace genobird::model
