// Random BPE merge lists for the tokenizer's differential tests.
#pragma once

#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include "tokenizer/alphabet.h"
#include "tokenizer/bpe_model.h"

namespace genobird::tokenizer::testing {

// A random valid model of `n_merges` merges with tokens of at most `max_length` bases: merges of random
// token pairs, and merges that re-split an existing token, so that tokens are made by several merges of
// different rank and some tokens are not made by their own merges.
inline BpeModel random_bpe_model(std::mt19937& rng, std::size_t n_merges, std::size_t max_length) {
  BpeModel model = base_bpe_model();
  std::unordered_map<std::string, std::int32_t> ids;
  for (std::size_t id = 0; id < model.vocab.size(); ++id) ids[model.vocab[id]] = static_cast<std::int32_t>(id);
  std::set<std::pair<std::int32_t, std::int32_t>> used;
  while (model.merges.size() < n_merges) {
    std::uniform_int_distribution<std::size_t> pick(kFirstBaseId, model.vocab.size() - 1);
    std::string left = model.vocab[pick(rng)];
    std::string right = model.vocab[pick(rng)];
    if (rng() % 3 == 0) {
      const std::string& token = model.vocab[pick(rng)];
      if (token.size() < 2) continue;
      std::size_t cut = 1 + rng() % (token.size() - 1);
      left = token.substr(0, cut);
      right = token.substr(cut);
      if (!ids.count(left) || !ids.count(right)) continue;
    }
    if ((left[0] == 'N') != (right[0] == 'N') || left.size() + right.size() > max_length) continue;
    auto pair = std::make_pair(ids[left], ids[right]);
    if (!used.insert(pair).second) continue;
    std::string joined = left + right;
    if (!ids.count(joined)) {
      ids[joined] = static_cast<std::int32_t>(model.vocab.size());
      model.vocab.push_back(joined);
    }
    model.merges.push_back(pair);
  }
  return model;
}

}  // namespace genobird::tokenizer::testing
