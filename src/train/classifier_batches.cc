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
  // Sorting by length keeps padding small; results go back to input order.
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return examples.forward[a].size() < examples.forward[b].size(); });
  std::vector<float> out;
  std::size_t labels = 0;
  auto score = [&](const std::vector<model::TokenIds>& seqs, const std::vector<std::size_t>& idx) {
    model::TokenBatch batch = model::make_token_batch(seqs, idx, 0, device);
    auto encoded = model.encode(batch.input_ids, batch.attention_mask);
    return at::sigmoid(model.classify(head, encoded)).to(at::kCPU, at::kFloat).contiguous();  // [batch, labels]
  };
  for (std::size_t first = 0; first < n; first += static_cast<std::size_t>(batch_size)) {
    std::vector<std::size_t> idx(order.begin() + static_cast<long>(first),
                                 order.begin() + static_cast<long>(std::min(n, first + static_cast<std::size_t>(batch_size))));
    at::Tensor probs = score(examples.forward, idx);
    if (rc != RcMode::kOff) {
      at::Tensor reverse = score(examples.reverse, idx);
      probs = rc == RcMode::kMean ? (probs + reverse) / 2 : at::maximum(probs, reverse);
    }
    if (out.empty()) {
      labels = static_cast<std::size_t>(probs.size(1));
      out.assign(n * labels, 0.0f);
    }
    const float* p = probs.data_ptr<float>();
    for (std::size_t b = 0; b < idx.size(); ++b)
      std::copy(p + b * labels, p + (b + 1) * labels, out.begin() + static_cast<long>(idx[b] * labels));
  }
  if (was_training) model.train();
  return out;
}

}  // namespace genobird::train
