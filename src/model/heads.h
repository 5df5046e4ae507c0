// Task heads on top of the encoder's sequence output, named as HuggingFace's:
//   - MaskedLmHead ("cls" in a model): predictions.transform.{dense,LayerNorm}, predictions.bias; the
//     decoder weight is the word-embedding matrix (tied, so never stored twice);
//   - ClassificationHead ("classifier"): pooled tokens -> dropout -> dense -> activation -> dropout -> out_proj,
//     one logit per label (a single label for promoter calls, hundreds for chromatin profiles). HuggingFace
//     pools by taking the first token; the mean of the real tokens is the other choice (as ModernBERT's
//     classifier_pooling = "mean").
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "model/config.h"
#include "model/head_spec.h"

namespace genobird::model {

class LmTransformImpl : public torch::nn::Module {
 public:
  explicit LmTransformImpl(const BigBirdConfig& config);
  at::Tensor forward(const at::Tensor& hidden);  // dense -> activation -> LayerNorm

  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm layer_norm{nullptr};

 private:
  std::string activation_;
};
TORCH_MODULE(LmTransform);

class LmPredictionsImpl : public torch::nn::Module {
 public:
  explicit LmPredictionsImpl(const BigBirdConfig& config);
  // hidden [batch, n, hidden], word_embeddings [vocab, hidden] -> logits [batch, n, vocab]
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& word_embeddings);

  LmTransform transform{nullptr};
  at::Tensor bias;  // [vocab]
};
TORCH_MODULE(LmPredictions);

class MaskedLmHeadImpl : public torch::nn::Module {
 public:
  explicit MaskedLmHeadImpl(const BigBirdConfig& config);
  at::Tensor forward(const at::Tensor& hidden, const at::Tensor& word_embeddings) {
    return predictions(hidden, word_embeddings);
  }

  LmPredictions predictions{nullptr};
};
TORCH_MODULE(MaskedLmHead);

class ClassificationHeadImpl : public torch::nn::Module {
 public:
  ClassificationHeadImpl(const BigBirdConfig& config, std::int64_t num_labels, Pooling pooling = Pooling::kFirst);
  // sequence_output [batch, n, hidden], real [batch, n] bool (undefined: all real) -> logits [batch, num_labels]
  at::Tensor forward(const at::Tensor& sequence_output, const at::Tensor& real = {});

  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear dense{nullptr};
  torch::nn::Linear out_proj{nullptr};

 private:
  std::string activation_;
  Pooling pooling_;
};
TORCH_MODULE(ClassificationHead);

}  // namespace genobird::model
