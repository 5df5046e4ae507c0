#include "train/classifier_batches.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>

#include "io/sequence.h"
#include "model/device.h"
#include "util/error.h"

namespace genobird::train {
namespace {

std::vector<std::int64_t> framed(const std::vector<std::int32_t>& ids, std::int64_t max_tokens, bool& truncated) {
  const std::size_t room = static_cast<std::size_t>(std::max<std::int64_t>(max_tokens - 2, 1));
  std::size_t begin = 0, end = ids.size();
  truncated = ids.size() > room;
  if (truncated) {
    begin = (ids.size() - room) / 2;
    end = begin + room;
  }
  std::vector<std::int64_t> out;
  out.reserve(end - begin + 2);
  out.push_back(tokenizer::kClsId);
  for (std::size_t i = begin; i < end; ++i) out.push_back(ids[i]);
  out.push_back(tokenizer::kSepId);
  return out;
}

}  // namespace

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
    auto ids = framed(encodings[i].ids, max_tokens, truncated);
    if (i < dataset.size()) {
      out.truncated += truncated;
      out.forward.push_back(std::move(ids));
    } else {
      out.reverse.push_back(std::move(ids));
    }
  }
  return out;
}

TokenBatch make_token_batch(const std::vector<std::vector<std::int64_t>>& sequences,
                            const std::vector<std::size_t>& indices, const c10::Device& device) {
  std::size_t n = 0;
  for (std::size_t i : indices) n = std::max(n, sequences[i].size());
  const auto batch = static_cast<std::int64_t>(indices.size());
  at::Tensor ids = at::full({batch, static_cast<std::int64_t>(n)}, tokenizer::kPadId, at::kLong);  // [batch, n]
  at::Tensor mask = at::zeros({batch, static_cast<std::int64_t>(n)}, at::kLong);                    // [batch, n]
  auto ids_a = ids.accessor<std::int64_t, 2>();
  auto mask_a = mask.accessor<std::int64_t, 2>();
  for (std::int64_t b = 0; b < batch; ++b) {
    const auto& seq = sequences[indices[static_cast<std::size_t>(b)]];
    for (std::size_t t = 0; t < seq.size(); ++t) {
      ids_a[b][static_cast<std::int64_t>(t)] = seq[t];
      mask_a[b][static_cast<std::int64_t>(t)] = 1;
    }
  }
  return {ids.to(device), mask.to(device)};
}

RcMode parse_rc_mode(const std::string& text) {
  if (text == "off") return RcMode::kOff;
  if (text == "mean") return RcMode::kMean;
  if (text == "max") return RcMode::kMax;
  throw UsageError("--rc must be mean, max or off, not '" + text + "'");
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
  auto score = [&](const std::vector<std::vector<std::int64_t>>& seqs, const std::vector<std::size_t>& idx) {
    TokenBatch batch = make_token_batch(seqs, idx, device);
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
