#include "infer/scoring_engine.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>

#include "io/sequence.h"
#include "model/device.h"
#include "util/error.h"
#include "util/log.h"

namespace genobird::infer {

ScoringEngine::ScoringEngine(model::LoadedModel loaded, const c10::Device& device, EngineOptions options)
    : loaded_(std::move(loaded)),
      tokenizer_(tokenizer::Tokenizer::load(loaded_.tokenizer_path)),
      device_(device),
      options_(options) {
  if (options_.batch_size < 1) throw UsageError("--batch-size must be at least 1");
  if (options_.threads < 1) options_.threads = 1;
  loaded_.model->to(device_);
  loaded_.model->eval();
  for (const auto& head : loaded_.model->heads())
    if (head.kind == model::HeadKind::kClassification) classification_heads_.push_back(&head);
  if (classification_heads_.empty())
    throw ModelError("the model has no classification head to score with (fine-tune one with genobird finetune)");
  for (const auto* head : classification_heads_) {
    for (const auto& label : head->labels) {
      std::string column = classification_heads_.size() == 1 ? label : head->name + "." + label;
      outputs_.push_back({head->name, label, column});
    }
  }
  max_tokens_ = loaded_.model->config().max_position_embeddings;
}

bool ScoringEngine::head_is_multi_label(const std::string& head) const {
  for (const auto* spec : classification_heads_)
    if (spec->name == head) return spec->multi_label;
  throw ModelError("the model has no classification head \"" + head + "\"");
}

TokenizedWindows ScoringEngine::tokenize(const std::vector<std::string>& windows) const {
  TokenizedWindows out;
  out.windows = windows.size();
  const bool rc = options_.rc != RcMode::kOff;
  std::vector<std::string> reverse;
  if (rc) {
    reverse.reserve(windows.size());
    for (const auto& w : windows) reverse.push_back(io::reverse_complement(w));
  }
  std::vector<tokenizer::Encoding> forward_enc = tokenizer_.encode_batch(windows, options_.threads);
  std::vector<tokenizer::Encoding> reverse_enc;
  if (rc) reverse_enc = tokenizer_.encode_batch(reverse, options_.threads);
  // The window is centred on what is to be scored, so a long one keeps its central tokens; cuts are counted.
  auto framed = [&](const tokenizer::Encoding& encoding) {
    bool truncated = false;
    model::TokenIds ids = model::frame_tokens(encoding.ids, max_tokens_, truncated);
    if (truncated) truncated_.fetch_add(1);
    return ids;
  };
  out.sequences.reserve(windows.size() * (rc ? 2 : 1));
  for (std::size_t i = 0; i < windows.size(); ++i) {
    out.sequences.push_back(framed(forward_enc[i]));
    if (rc) out.sequences.push_back(framed(reverse_enc[i]));
  }
  return out;
}

std::vector<float> ScoringEngine::score_batch(const std::vector<std::vector<std::int32_t>>& sequences,
                                              const std::vector<std::size_t>& members, std::int64_t length) {
  model::TokenBatch tokens = model::make_token_batch(sequences, members, length, device_);

  model::Bf16AutocastGuard autocast(device_);
  model::EncoderOutput encoded = loaded_.model->encode(tokens.input_ids, tokens.attention_mask);
  std::vector<at::Tensor> probabilities;
  for (const auto* head : classification_heads_) {
    at::Tensor logits = loaded_.model->classify(head->name, encoded).to(at::kFloat);  // [batch, labels]
    probabilities.push_back(head->multi_label ? at::sigmoid(logits) : at::softmax(logits, 1));
  }
  at::Tensor all = at::cat(probabilities, 1).to(at::kCPU).contiguous();  // [batch, outputs]
  const float* data = all.data_ptr<float>();
  return std::vector<float>(data, data + all.numel());
}

std::vector<float> ScoringEngine::score(const TokenizedWindows& tokenized) {
  c10::InferenceMode inference;
  const std::size_t width = outputs_.size();
  const std::size_t total = tokenized.sequences.size();
  std::vector<float> raw(total * width);
  const auto rows_per_pass = static_cast<std::size_t>(options_.batch_size);
  for (const auto& pass : model::independent_batches(tokenized.sequences, rows_per_pass, loaded_.model->config())) {
    std::vector<float> part = score_batch(tokenized.sequences, pass.members, pass.length);
    for (std::size_t m = 0; m < pass.members.size(); ++m)
      std::copy(part.begin() + static_cast<long>(m * width), part.begin() + static_cast<long>((m + 1) * width),
                raw.begin() + static_cast<long>(pass.members[m] * width));
  }
  if (options_.rc == RcMode::kOff) return raw;
  std::vector<float> merged(tokenized.windows * width);
  for (std::size_t w = 0; w < tokenized.windows; ++w) {
    const float* forward = &raw[(2 * w) * width];
    const float* reverse = &raw[(2 * w + 1) * width];
    for (std::size_t k = 0; k < width; ++k)
      merged[w * width + k] =
          options_.rc == RcMode::kMean ? 0.5f * (forward[k] + reverse[k]) : std::max(forward[k], reverse[k]);
  }
  return merged;
}

std::vector<float> ScoringEngine::score_windows(const std::vector<std::string>& windows) {
  return score(tokenize(windows));
}

}  // namespace genobird::infer
