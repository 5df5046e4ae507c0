#include "model/classifier_input.h"

#include <algorithm>
#include <limits>
#include <map>

#include "tokenizer/alphabet.h"
#include "util/error.h"

namespace genobird::model {

TokenIds frame_tokens(const TokenIds& ids, std::int64_t max_tokens, bool& truncated) {
  const std::size_t room = static_cast<std::size_t>(std::max<std::int64_t>(max_tokens - 2, 1));
  std::size_t first = 0, count = ids.size();
  truncated = count > room;
  if (truncated) {
    first = (count - room) / 2;
    count = room;
  }
  TokenIds framed;
  framed.reserve(count + 2);
  framed.push_back(tokenizer::kClsId);
  framed.insert(framed.end(), ids.begin() + static_cast<long>(first), ids.begin() + static_cast<long>(first + count));
  framed.push_back(tokenizer::kSepId);
  return framed;
}

TokenBatch make_token_batch(const std::vector<TokenIds>& sequences, const std::vector<std::size_t>& members,
                            std::int64_t length, const c10::Device& device) {
  for (std::size_t m : members) length = std::max<std::int64_t>(length, static_cast<std::int64_t>(sequences[m].size()));
  const auto batch = static_cast<std::int64_t>(members.size());
  at::Tensor ids = at::full({batch, length}, static_cast<std::int64_t>(tokenizer::kPadId), at::kLong);  // [batch, n]
  at::Tensor mask = at::zeros({batch, length}, at::kLong);                                               // [batch, n]
  auto ids_a = ids.accessor<std::int64_t, 2>();
  auto mask_a = mask.accessor<std::int64_t, 2>();
  for (std::int64_t b = 0; b < batch; ++b) {
    const TokenIds& seq = sequences[members[static_cast<std::size_t>(b)]];
    for (std::size_t t = 0; t < seq.size(); ++t) {
      ids_a[b][static_cast<std::int64_t>(t)] = seq[t];
      mask_a[b][static_cast<std::int64_t>(t)] = 1;
    }
  }
  return {ids.to(device), mask.to(device)};
}

std::vector<ScoringBatch> independent_batches(const std::vector<TokenIds>& sequences, std::size_t batch_size,
                                              const BigBirdConfig& config) {
  batch_size = std::max<std::size_t>(batch_size, 1);
  const std::int64_t full_max =
      config.block_sparse() ? config.full_attention_max_tokens() : std::numeric_limits<std::int64_t>::max();
  const std::int64_t block = std::max<std::int64_t>(config.block_size, 1);
  auto length = [&](std::size_t i) { return static_cast<std::int64_t>(sequences[i].size()); };
  // Full-attention rows, and block-sparse rows by their own padded length, each in input order.
  std::vector<std::size_t> full;
  std::map<std::int64_t, std::vector<std::size_t>> sparse;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    if (length(i) <= full_max)
      full.push_back(i);
    else
      sparse[(length(i) + block - 1) / block * block].push_back(i);
  }
  // A full-attention pass pads to its longest member, so those rows go shortest first.
  std::stable_sort(full.begin(), full.end(), [&](std::size_t a, std::size_t b) { return length(a) < length(b); });
  std::vector<ScoringBatch> out;
  auto split = [&](const std::vector<std::size_t>& group, std::int64_t padded) {
    for (std::size_t first = 0; first < group.size(); first += batch_size) {
      ScoringBatch pass;
      pass.members.assign(group.begin() + static_cast<long>(first),
                          group.begin() + static_cast<long>(std::min(group.size(), first + batch_size)));
      pass.length = padded;
      for (std::size_t m : pass.members) pass.length = std::max(pass.length, length(m));
      out.push_back(std::move(pass));
    }
  };
  split(full, 0);
  for (const auto& [padded, group] : sparse) split(group, padded);
  return out;
}

RcMode parse_rc_mode(const std::string& text) {
  if (text == "off") return RcMode::kOff;
  if (text == "mean") return RcMode::kMean;
  if (text == "max") return RcMode::kMax;
  throw UsageError("--rc must be off, mean or max, not \"" + text + "\"");
}

}  // namespace genobird::model
