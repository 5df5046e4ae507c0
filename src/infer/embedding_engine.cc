#include "infer/embedding_engine.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <limits>

#include "io/sequence.h"
#include "model/device.h"
#include "util/error.h"

namespace genobird::infer {

EmbeddingPool parse_embedding_pool(const std::string& text) {
  if (text == "mean") return EmbeddingPool::kMean;
  if (text == "cls") return EmbeddingPool::kCls;
  if (text == "max") return EmbeddingPool::kMax;
  if (text == "none") return EmbeddingPool::kNone;
  throw UsageError("--pool must be mean, cls, max or none, not \"" + text + "\"");
}

const char* embedding_pool_name(EmbeddingPool pool) {
  switch (pool) {
    case EmbeddingPool::kMean: return "mean";
    case EmbeddingPool::kCls: return "cls";
    case EmbeddingPool::kMax: return "max";
    case EmbeddingPool::kNone: return "none";
  }
  return "mean";
}

EmbeddingEngine::EmbeddingEngine(model::LoadedModel loaded, const c10::Device& device, EmbeddingOptions options)
    : loaded_(std::move(loaded)),
      tokenizer_(tokenizer::Tokenizer::load(loaded_.tokenizer_path)),
      device_(device),
      options_(options) {
  if (options_.batch_size < 1) throw UsageError("--batch-size must be at least 1");
  if (options_.threads < 1) options_.threads = 1;
  if (options_.rc_mean && options_.pool == EmbeddingPool::kNone)
    throw UsageError("--rc mean averages pooled vectors; it does not apply to --pool none");
  const model::BigBirdConfig& config = loaded_.model->config();
  const std::int64_t layers = config.num_hidden_layers;
  if (options_.layer < -(layers + 1) || options_.layer > layers)
    throw UsageError("--layer must be between " + std::to_string(-(layers + 1)) + " and " + std::to_string(layers) +
                     " for this model of " + std::to_string(layers) + " layers (0: the embeddings, -1: the last layer)");
  layer_ = options_.layer < 0 ? layers + 1 + options_.layer : options_.layer;
  dim_ = config.hidden_size;
  std::int64_t max_tokens = config.max_position_embeddings;
  if (options_.max_tokens > 0) max_tokens = std::min(max_tokens, options_.max_tokens);
  if (max_tokens < 3) throw UsageError("windows need room for [CLS], one token and [SEP]");
  capacity_ = static_cast<std::size_t>(max_tokens - 2);
  loaded_.model->to(device_);
  loaded_.model->eval();
}

TokenizedRecords EmbeddingEngine::tokenize(const std::vector<std::string>& sequences) const {
  TokenizedRecords out;
  out.records = sequences.size();
  const bool keep_spans = options_.pool == EmbeddingPool::kNone;
  std::vector<tokenizer::Encoding> forward = tokenizer_.encode_batch(sequences, options_.threads);
  std::vector<tokenizer::Encoding> reverse;
  if (options_.rc_mean) {
    std::vector<std::string> complements;
    complements.reserve(sequences.size());
    for (const auto& s : sequences) complements.push_back(io::reverse_complement(s));
    reverse = tokenizer_.encode_batch(complements, options_.threads);
  }
  auto add_windows = [&](std::size_t record, bool is_reverse, const tokenizer::Encoding& encoding) {
    const std::vector<TokenWindow> windows = token_windows(encoding.ids.size(), capacity_);
    if (windows.size() > 1 && !is_reverse) windowed_.fetch_add(1);
    for (const TokenWindow& window : windows) {
      model::TokenIds framed;
      framed.reserve(window.count + 2);
      framed.push_back(tokenizer::kClsId);
      framed.insert(framed.end(), encoding.ids.begin() + static_cast<long>(window.first),
                    encoding.ids.begin() + static_cast<long>(window.first + window.count));
      framed.push_back(tokenizer::kSepId);
      out.windows.push_back(std::move(framed));
      out.pieces.push_back({record, is_reverse, window});
    }
  };
  for (std::size_t r = 0; r < sequences.size(); ++r) {
    out.tokens.push_back(forward[r].ids.size());
    add_windows(r, false, forward[r]);
    if (options_.rc_mean) add_windows(r, true, reverse[r]);
    if (keep_spans) out.spans.push_back(std::move(forward[r].offsets));
  }
  return out;
}

RecordEmbeddings EmbeddingEngine::score(const TokenizedRecords& tokenized) {
  c10::InferenceMode inference;
  const auto dim = static_cast<std::size_t>(dim_);
  const std::size_t strands = options_.rc_mean ? 2 : 1;
  const EmbeddingPool pool = options_.pool;
  RecordEmbeddings out;
  out.dim = dim_;
  out.windows.assign(tokenized.records, 0);
  out.first_row.assign(tokenized.records + 1, 0);
  for (std::size_t r = 0; r < tokenized.records; ++r)
    out.first_row[r + 1] = out.first_row[r] + (pool == EmbeddingPool::kNone ? tokenized.tokens[r] : 1);
  out.values.assign(out.first_row.back() * dim, 0.0f);
  // Pooled modes accumulate per record and strand in double: [records * strands][dim].
  const double start = pool == EmbeddingPool::kMax ? -std::numeric_limits<double>::infinity() : 0.0;
  std::vector<double> pooled(pool == EmbeddingPool::kNone ? 0 : tokenized.records * strands * dim, start);

  for (const auto& pass :
       model::independent_batches(tokenized.windows, static_cast<std::size_t>(options_.batch_size), loaded_.model->config())) {
    model::TokenBatch batch = model::make_token_batch(tokenized.windows, pass.members, pass.length, device_);
    at::Tensor states;
    {
      model::Bf16AutocastGuard autocast(device_);
      states = loaded_.model->encode(batch.input_ids, batch.attention_mask, {}, layer_).sequence;  // [batch, n, dim]
    }
    states = states.to(at::kFloat).to(at::kCPU).contiguous();
    const std::int64_t n = states.size(1);
    const float* data = states.data_ptr<float>();
    for (std::size_t m = 0; m < pass.members.size(); ++m) {
      const TokenizedRecords::Piece& piece = tokenized.pieces[pass.members[m]];
      const TokenWindow& w = piece.window;
      const float* window_states = data + static_cast<std::size_t>(m) * static_cast<std::size_t>(n) * dim;
      if (!piece.reverse) ++out.windows[piece.record];
      // Row 0 is [CLS]; token t of the record is row 1 + t - w.first.
      if (pool == EmbeddingPool::kNone) {
        for (std::size_t t = w.keep_first; t < w.keep_end; ++t)
          std::copy_n(window_states + (1 + t - w.first) * dim, dim,
                      out.values.begin() + static_cast<long>((out.first_row[piece.record] + t) * dim));
        continue;
      }
      double* acc = &pooled[(piece.record * strands + (piece.reverse ? 1 : 0)) * dim];
      if (pool == EmbeddingPool::kCls) {
        const auto weight = static_cast<double>(w.keep_end - w.keep_first);
        for (std::size_t k = 0; k < dim; ++k) acc[k] += weight * window_states[k];
        continue;
      }
      for (std::size_t t = w.keep_first; t < w.keep_end; ++t) {
        const float* row = window_states + (1 + t - w.first) * dim;
        if (pool == EmbeddingPool::kMax)
          for (std::size_t k = 0; k < dim; ++k) acc[k] = std::max(acc[k], static_cast<double>(row[k]));
        else
          for (std::size_t k = 0; k < dim; ++k) acc[k] += row[k];
      }
    }
  }
  if (pool == EmbeddingPool::kNone) {
    for (const auto& spans : tokenized.spans) out.spans.insert(out.spans.end(), spans.begin(), spans.end());
    return out;
  }
  // Mean and [CLS] sums are divided by the tokens of their strand (the reverse complement may tokenize into
  // a different number).
  std::vector<double> strand_tokens(tokenized.records * strands, 0.0);
  for (const auto& piece : tokenized.pieces)
    strand_tokens[piece.record * strands + (piece.reverse ? 1 : 0)] +=
        static_cast<double>(piece.window.keep_end - piece.window.keep_first);
  for (std::size_t r = 0; r < tokenized.records; ++r) {
    if (pool != EmbeddingPool::kMax)
      for (std::size_t s = 0; s < strands; ++s)
        for (std::size_t k = 0; k < dim; ++k) pooled[(r * strands + s) * dim + k] /= strand_tokens[r * strands + s];
    for (std::size_t k = 0; k < dim; ++k) {
      double value = 0;
      for (std::size_t s = 0; s < strands; ++s) value += pooled[(r * strands + s) * dim + k];
      out.values[r * dim + k] = static_cast<float>(value / static_cast<double>(strands));
    }
  }
  return out;
}

}  // namespace genobird::infer
