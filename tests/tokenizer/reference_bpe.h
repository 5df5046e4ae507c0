// A slow, obviously correct BPE encoder, the oracle of the differential tests.
//
// It follows the definition literally: normalise each byte, cut the input into runs of A/C/G/T and runs of
// N, and in each run repeatedly merge the adjacent pair with the lowest rank (the leftmost on ties) by
// scanning every pair, until no pair has a merge. Quadratic, string based, no shared code with the
// library beyond the base-symbol mapping.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/bpe_model.h"

namespace genobird::tokenizer::testing {

struct ReferenceToken {
  std::string text;
  std::size_t start;
  std::size_t end;
};

inline std::vector<ReferenceToken> reference_encode(const BpeModel& model, std::string_view input) {
  std::map<std::pair<std::string, std::string>, std::size_t> rank;
  for (std::size_t r = 0; r < model.merges.size(); ++r) {
    const auto& [left, right] = model.merges[r];
    rank.emplace(std::make_pair(model.vocab[static_cast<std::size_t>(left)], model.vocab[static_cast<std::size_t>(right)]), r);
  }
  std::string normal;
  for (char c : input) {
    char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    normal += (upper == 'A' || upper == 'C' || upper == 'G' || upper == 'T') ? upper : 'N';
  }
  std::vector<ReferenceToken> out;
  std::size_t word_start = 0;
  while (word_start < normal.size()) {
    bool n_run = normal[word_start] == 'N';
    std::size_t word_end = word_start;
    while (word_end < normal.size() && (normal[word_end] == 'N') == n_run) ++word_end;
    std::vector<std::string> symbols;
    for (std::size_t i = word_start; i < word_end; ++i) symbols.emplace_back(1, normal[i]);
    for (;;) {
      std::size_t best = symbols.size();
      std::size_t best_rank = 0;
      for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
        auto it = rank.find({symbols[i], symbols[i + 1]});
        if (it != rank.end() && (best == symbols.size() || it->second < best_rank)) {
          best = i;
          best_rank = it->second;
        }
      }
      if (best == symbols.size()) break;
      symbols[best] += symbols[best + 1];
      symbols.erase(symbols.begin() + static_cast<long>(best) + 1);
    }
    std::size_t pos = word_start;
    for (auto& symbol : symbols) {
      out.push_back({symbol, pos, pos + symbol.size()});
      pos += symbol.size();
    }
    word_start = word_end;
  }
  return out;
}

}  // namespace genobird::tokenizer::testing
