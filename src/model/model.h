// The genobird model: the BigBird backbone ("bert") plus the heads a model directory declares.
//
// named_parameters() gives HuggingFace's tensor names: bert.embeddings..., bert.encoder.layer.N...,
// bert.pooler.* (always, as in every HuggingFace BigBird task model, BigBirdForMaskedLM included; genobird's
// heads do not read it), cls.predictions.* for the MLM head, classifier.* for the first
// classification head and classifier_<name>.* for any further one.
//
// Forward passes take input_ids [batch, n] int64 and attention_mask [batch, n] (nonzero: a real token;
// undefined: all real). Sequences longer than (5 + 2r) * block_size use block-sparse attention (when the
// config says block_sparse) and are padded internally to a multiple of block_size; shorter ones use full
// attention, announced once per process in the log. Outputs always have the caller's n.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "model/config.h"
#include "model/embeddings.h"
#include "model/encoder.h"
#include "model/head_spec.h"
#include "model/heads.h"

namespace genobird::model {

struct EncoderOutput {
  at::Tensor sequence;  // [batch, n, hidden]
  at::Tensor real;      // [batch, n] bool, true at real tokens; undefined when none is padding
  at::Tensor pooled;    // [batch, hidden] (tanh of the pooler on the first token); undefined without pooler
                        // or when the encoder stopped before its last layer
};

class BigBirdModelImpl : public torch::nn::Module {
 public:
  BigBirdModelImpl(const BigBirdConfig& config, bool add_pooling_layer);
  // `layers`: how many encoder layers to run (negative: all). sequence is then HuggingFace's
  // hidden_states[layers] (0: the embeddings' output), which is what an intermediate-layer embedding reads.
  EncoderOutput forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                        const at::Tensor& token_type_ids = {}, std::int64_t layers = -1);
  // The attention a sequence of n tokens gets under this config.
  AttentionMode attention_mode(std::int64_t n) const;

  BigBirdEmbeddings embeddings{nullptr};
  BigBirdEncoder encoder{nullptr};
  torch::nn::Linear pooler{nullptr};

 private:
  BigBirdConfig config_;
};
TORCH_MODULE(BigBirdModel);

class GenobirdModelImpl : public torch::nn::Module {
 public:
  // Throws ModelError for a bad head list (two MLM heads, duplicate or invalid names, no labels).
  GenobirdModelImpl(const BigBirdConfig& config, const std::vector<HeadSpec>& heads);

  // `layers`: encoder layers to run (negative: all), as BigBirdModelImpl::forward.
  EncoderOutput encode(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                       const at::Tensor& token_type_ids = {}, std::int64_t layers = -1);
  // [batch, n, vocab]; throws ModelError if the model has no MLM head.
  at::Tensor mlm_logits(const EncoderOutput& encoded);
  // [batch, labels of the head]; throws ModelError for an unknown head.
  at::Tensor classify(const std::string& head, const EncoderOutput& encoded);

  const BigBirdConfig& config() const { return config_; }
  const std::vector<HeadSpec>& heads() const { return heads_; }

  BigBirdModel bert{nullptr};
  MaskedLmHead cls{nullptr};

 private:
  BigBirdConfig config_;
  std::vector<HeadSpec> heads_;
  std::map<std::string, ClassificationHead> classifiers_;
};
TORCH_MODULE(GenobirdModel);

// Tensor-name prefix of classification head number `index` among the classification heads (0-based).
std::string classifier_prefix(std::size_t index, const std::string& head_name);

}  // namespace genobird::model
