#include "model/encoder.h"

#include "model/activation.h"
#include "model/attention.h"
#include "model/sparse_layout.h"

namespace genobird::model {
namespace {

torch::nn::Linear linear(std::int64_t in, std::int64_t out, bool bias = true) {
  return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

}  // namespace

BigBirdSelfAttentionImpl::BigBirdSelfAttentionImpl(const BigBirdConfig& config, std::int64_t layer_index)
    : layer_index_(layer_index),
      heads_(config.num_attention_heads),
      head_dim_(config.head_dim()),
      block_size_(config.block_size),
      random_blocks_(config.num_random_blocks),
      dropout_p_(config.attention_probs_dropout_prob) {
  query = register_module("query", linear(config.hidden_size, config.hidden_size, config.use_bias));
  key = register_module("key", linear(config.hidden_size, config.hidden_size, config.use_bias));
  value = register_module("value", linear(config.hidden_size, config.hidden_size, config.use_bias));
}

at::Tensor BigBirdSelfAttentionImpl::forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode) {
  const std::int64_t batch = hidden.size(0), n = hidden.size(1);
  // [batch, n, hidden] -> [batch, heads, n, head_dim]
  auto split_heads = [&](const at::Tensor& x) { return x.view({batch, n, heads_, head_dim_}).transpose(1, 2); };
  at::Tensor q = split_heads(query(hidden)), k = split_heads(key(hidden)), v = split_heads(value(hidden));
  at::Tensor context;
  if (mode == AttentionMode::kBlockSparse) {
    // HuggingFace applies no attention dropout in block-sparse mode; neither do we.
    SparseLayout layout = sparse_layout(n / block_size_, random_blocks_, heads_, layer_index_);
    context = block_sparse_attention(q, k, v, key_mask, layout, block_size_);
  } else {
    context = full_attention(q, k, v, key_mask, is_training() ? dropout_p_ : 0.0);
  }
  return context.transpose(1, 2).reshape({batch, n, heads_ * head_dim_});  // [batch, n, hidden]
}

BigBirdResidualOutputImpl::BigBirdResidualOutputImpl(const BigBirdConfig& config, std::int64_t in_features) {
  dense = register_module("dense", linear(in_features, config.hidden_size));
  layer_norm = register_module(
      "LayerNorm",
      torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
  dropout = register_module("dropout", torch::nn::Dropout(config.hidden_dropout_prob));
}

at::Tensor BigBirdResidualOutputImpl::forward(const at::Tensor& x, const at::Tensor& residual) {
  return layer_norm(dropout(dense(x)) + residual);
}

BigBirdAttentionImpl::BigBirdAttentionImpl(const BigBirdConfig& config, std::int64_t layer_index) {
  self_attention = register_module("self", BigBirdSelfAttention(config, layer_index));
  output = register_module("output", BigBirdResidualOutput(config, config.hidden_size));
}

at::Tensor BigBirdAttentionImpl::forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode) {
  return output(self_attention(hidden, key_mask, mode), hidden);
}

BigBirdIntermediateImpl::BigBirdIntermediateImpl(const BigBirdConfig& config) : activation_(config.hidden_act) {
  dense = register_module("dense", linear(config.hidden_size, config.intermediate_size));
}

at::Tensor BigBirdIntermediateImpl::forward(const at::Tensor& hidden) { return activation(dense(hidden), activation_); }

BigBirdLayerImpl::BigBirdLayerImpl(const BigBirdConfig& config, std::int64_t layer_index) {
  attention = register_module("attention", BigBirdAttention(config, layer_index));
  intermediate = register_module("intermediate", BigBirdIntermediate(config));
  output = register_module("output", BigBirdResidualOutput(config, config.intermediate_size));
}

at::Tensor BigBirdLayerImpl::forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode) {
  at::Tensor attended = attention(hidden, key_mask, mode);
  return output(intermediate(attended), attended);
}

BigBirdEncoderImpl::BigBirdEncoderImpl(const BigBirdConfig& config) {
  layer = register_module("layer", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) layer->push_back(BigBirdLayer(config, i));
}

at::Tensor BigBirdEncoderImpl::forward(at::Tensor hidden, const at::Tensor& key_mask, AttentionMode mode,
                                      std::int64_t layers) {
  const auto count = static_cast<std::int64_t>(layer->size());
  if (layers < 0 || layers > count) layers = count;
  for (std::int64_t i = 0; i < layers; ++i) hidden = (*layer)[static_cast<std::size_t>(i)]->as<BigBirdLayerImpl>()->forward(hidden, key_mask, mode);
  return hidden;
}

}  // namespace genobird::model
