// BigBird transformer layers (post-LayerNorm, as HuggingFace's BigBirdLayer) and the layer stack.
//
// Module and parameter names follow HuggingFace, so that named_parameters() of BigBirdEncoder yields
// "layer.N.attention.self.query.weight", "layer.N.attention.output.LayerNorm.bias", ...
// Hidden states are [batch, n, hidden]; key_mask is [batch, n] bool (true: real token) or undefined.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "model/config.h"

namespace genobird::model {

// How a forward pass attends: block-sparse needs n to be a multiple of block_size (BigBirdModel pads).
enum class AttentionMode { kFull, kBlockSparse };

// Q/K/V projections and the attention itself; returns the per-head contexts merged: [batch, n, hidden].
class BigBirdSelfAttentionImpl : public torch::nn::Module {
 public:
  BigBirdSelfAttentionImpl(const BigBirdConfig& config, std::int64_t layer_index);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode);

  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};

 private:
  std::int64_t layer_index_, heads_, head_dim_, block_size_, random_blocks_;
  double dropout_p_;
};
TORCH_MODULE(BigBirdSelfAttention);

// dense -> dropout -> LayerNorm(x + residual); used after attention and after the feed-forward block.
class BigBirdResidualOutputImpl : public torch::nn::Module {
 public:
  BigBirdResidualOutputImpl(const BigBirdConfig& config, std::int64_t in_features);
  at::Tensor forward(const at::Tensor& x, const at::Tensor& residual);

  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm layer_norm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BigBirdResidualOutput);

// The self-attention sub-layer: "self" (projections + attention) and "output" (projection + residual + LN).
class BigBirdAttentionImpl : public torch::nn::Module {
 public:
  BigBirdAttentionImpl(const BigBirdConfig& config, std::int64_t layer_index);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode);

  BigBirdSelfAttention self_attention{nullptr};
  BigBirdResidualOutput output{nullptr};
};
TORCH_MODULE(BigBirdAttention);

// Feed-forward expansion: dense to intermediate_size, then the activation.
class BigBirdIntermediateImpl : public torch::nn::Module {
 public:
  explicit BigBirdIntermediateImpl(const BigBirdConfig& config);
  at::Tensor forward(const at::Tensor& hidden);

  torch::nn::Linear dense{nullptr};

 private:
  std::string activation_;
};
TORCH_MODULE(BigBirdIntermediate);

class BigBirdLayerImpl : public torch::nn::Module {
 public:
  BigBirdLayerImpl(const BigBirdConfig& config, std::int64_t layer_index);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& key_mask, AttentionMode mode);

  BigBirdAttention attention{nullptr};
  BigBirdIntermediate intermediate{nullptr};
  BigBirdResidualOutput output{nullptr};
};
TORCH_MODULE(BigBirdLayer);

class BigBirdEncoderImpl : public torch::nn::Module {
 public:
  explicit BigBirdEncoderImpl(const BigBirdConfig& config);
  // Runs the first `layers` layers (all of them when negative): HuggingFace's hidden_states[layers].
  at::Tensor forward(at::Tensor hidden, const at::Tensor& key_mask, AttentionMode mode, std::int64_t layers = -1);

  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BigBirdEncoder);

}  // namespace genobird::model
