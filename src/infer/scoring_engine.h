// The batched scoring engine: DNA windows in, head probabilities out.
//
// A window's bases are tokenized (genobird's BPE), framed as [CLS] tokens [SEP] and run through the model's
// encoder and every classification head in batches of `batch_size`, under c10::InferenceMode and, on CUDA,
// bf16 autocast (fp32 on the CPU). Head logits become probabilities: a sigmoid per label for multi-label
// heads, a softmax over the labels otherwise.
//
// Reverse-complement merging (`rc`): with kMean or kMax each window is also scored as its reverse
// complement, and the two probabilities are averaged or the larger kept; kOff scores the window as given.
//
// Windows longer than the model's positions ((max_position_embeddings - 2) tokens) keep their central
// tokens; the number cut this way is counted in truncated_windows().
//
// Determinism: a window's probabilities do not depend on the windows batched with it
// (model::independent_batches), nor on the thread count, so sharded runs reproduce an unsharded one.
//
// Thread-safety: tokenize() may run on any thread (it only reads the tokenizer) while score() runs on one
// thread at a time (the model's thread), which is how prefetch_pipeline.h uses them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "model/classifier_input.h"
#include "model/model_dir.h"
#include "tokenizer/tokenizer.h"

namespace genobird::infer {

using model::parse_rc_mode;
using model::RcMode;

struct EngineOptions {
  std::int64_t batch_size = 16;  // windows per forward pass (reverse complements count as windows)
  RcMode rc = RcMode::kOff;
  int threads = 1;  // tokenizer threads; the model's own CPU threads are set by the caller (at::set_num_threads)
};

// One output column: a label of a classification head.
struct OutputColumn {
  std::string head;
  std::string label;
  std::string column;  // header name: the label, or "head.label" when the model has several classification heads
};

// Token ids of a chunk of windows, ready for the model: forward windows, then (unless rc is off) their
// reverse complements interleaved as forward0, reverse0, forward1, reverse1, ...
struct TokenizedWindows {
  std::size_t windows = 0;
  std::vector<std::vector<std::int32_t>> sequences;  // [CLS] ids [SEP]
};

class ScoringEngine {
 public:
  using Tokenized = TokenizedWindows;
  using Result = std::vector<float>;

  // Throws ModelError when the model has no classification head.
  ScoringEngine(model::LoadedModel loaded, const c10::Device& device, EngineOptions options);

  const std::vector<OutputColumn>& outputs() const { return outputs_; }
  const model::ModelInfo& info() const { return loaded_.info; }
  const EngineOptions& options() const { return options_; }
  const c10::Device& device() const { return device_; }
  // True for independent sigmoids per label, false for a softmax over the labels; throws for an unknown head.
  bool head_is_multi_label(const std::string& head) const;

  // Tokenizes windows (and their reverse complements when rc is on) on options().threads threads.
  TokenizedWindows tokenize(const std::vector<std::string>& windows) const;
  // Probabilities, row-major [windows][outputs().size()].
  std::vector<float> score(const TokenizedWindows& tokenized);
  // tokenize() then score(): for callers without a pipeline (tests, small inputs).
  std::vector<float> score_windows(const std::vector<std::string>& windows);

  std::uint64_t truncated_windows() const { return truncated_.load(); }

 private:
  // Probabilities of sequences[members], each padded to `length` tokens, row-major [members][outputs].
  std::vector<float> score_batch(const std::vector<std::vector<std::int32_t>>& sequences,
                                 const std::vector<std::size_t>& members, std::int64_t length);

  model::LoadedModel loaded_;
  tokenizer::Tokenizer tokenizer_;
  c10::Device device_;
  EngineOptions options_;
  std::vector<OutputColumn> outputs_;
  std::vector<const model::HeadSpec*> classification_heads_;
  std::int64_t max_tokens_ = 0;  // framed length limit (max_position_embeddings)
  mutable std::atomic<std::uint64_t> truncated_{0};
};

}  // namespace genobird::infer
