#include "train/classifier_batches.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>

#include "io/sequence.h"
#include "model/device.h"
#include "util/error.h"

namespace genobird::train {

TokenizedExamples tokenize_examples(const LabelledDataset& dataset, const tokenizer::Tokenizer& tokenizer,
                                    std::int64_t max_tokens, bool with_reverse, int threads) {
  std::vector<std::string> sequences;
  sequences.reserve(dataset.size() * (with_reverse ? 2 : 1));
  for (const auto& e : dataset.examples) sequences.push_back(e.sequence);
  if (with_reverse)
    for (const auto& e : dataset.examples) sequences.push_back(io::reverse_complement(e.sequence));
  std::vector<tokenizer::Encoding> encodings = tokenizer.encode_batch(sequences, threads);
  TokenizedExamples out;
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    bool truncated = false;
    auto ids = model::frame_tokens(encodings[i].ids, max_tokens, truncated);
    if (i < dataset.size()) {
      out.truncated += truncated;
      out.forward.push_back(std::move(ids));
    } else {
      out.reverse.push_back(std::move(ids));
    }
  }
  return out;
}

std::vector<float> predict_probabilities(model::GenobirdModelImpl& model, const std::string& head,
                                         const TokenizedExamples& examples, std::int64_t batch_size,
                                         const c10::Device& device, RcMode rc) {
  if (rc != RcMode::kOff && examples.reverse.size() != examples.forward.size())
    throw std::invalid_argument("predict_probabilities: reverse complements were not tokenized");
  const bool was_training = model.is_training();
  model.eval();
  c10::InferenceMode inference;
  model::Bf16AutocastGuard autocast(device);
  const std::size_t n = examples.forward.size();
  // [n, labels] probabilities of `seqs`, each as it scores alone (model/classifier_input.h).
  auto score_all = [&](const std::vector<model::TokenIds>& seqs) {
    at::Tensor out;
    const auto rows_per_pass = static_cast<std::size_t>(std::max<std::int64_t>(batch_size, 1));
    for (const auto& pass : model::independent_batches(seqs, rows_per_pass, model.config())) {
      model::TokenBatch batch = model::make_token_batch(seqs, pass.members, pass.length, device);
      auto encoded = model.encode(batch.input_ids, batch.attention_mask);
      at::Tensor probs = at::sigmoid(model.classify(head, encoded)).to(at::kCPU, at::kFloat);  // [batch, labels]
      if (!out.defined()) out = at::zeros({static_cast<std::int64_t>(n), probs.size(1)}, at::kFloat);
      std::vector<std::int64_t> rows(pass.members.begin(), pass.members.end());
      out.index_copy_(0, at::tensor(rows, at::kLong), probs);
    }
    return out;
  };
  at::Tensor probs = score_all(examples.forward);
  if (rc != RcMode::kOff) {
    at::Tensor reverse = score_all(examples.reverse);
    probs = rc == RcMode::kMean ? (probs + reverse) / 2 : at::maximum(probs, reverse);
  }
  std::vector<float> out;
  if (probs.defined()) {
    probs = probs.contiguous();
    out.assign(probs.data_ptr<float>(), probs.data_ptr<float>() + probs.numel());
  }
  if (was_training) model.train();
  return out;
}

}  // namespace genobird::train
