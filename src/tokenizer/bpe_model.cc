#include "tokenizer/bpe_model.h"

#include <unordered_map>

#include "tokenizer/alphabet.h"
#include "tokenizer/pair_table.h"
#include "util/error.h"

namespace genobird::tokenizer {

BpeModel base_bpe_model() {
  BpeModel model;
  for (auto special : kSpecialTokens) model.vocab.emplace_back(special);
  for (char base : kBaseSymbols) model.vocab.emplace_back(1, base);
  return model;
}

namespace {

// True for a non-empty token of A/C/G/T only, or of N only.
bool is_dna_token(const std::string& token) {
  if (token.empty()) return false;
  bool n_run = token[0] == 'N';
  for (char c : token) {
    bool ok = n_run ? c == 'N' : (c == 'A' || c == 'C' || c == 'G' || c == 'T');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void check_bpe_model(const BpeModel& model, const std::string& source) {
  auto fail = [&](const std::string& what) { throw ModelError(source + ": " + what); };
  BpeModel base = base_bpe_model();
  if (model.vocab.size() < base.vocab.size()) {
    fail("the vocabulary has " + std::to_string(model.vocab.size()) + " tokens; expected at least the " +
         std::to_string(base.vocab.size()) + " special and base tokens");
  }
  for (std::size_t id = 0; id < base.vocab.size(); ++id) {
    if (model.vocab[id] != base.vocab[id]) {
      fail("token id " + std::to_string(id) + " is '" + model.vocab[id] + "'; expected '" + base.vocab[id] +
           "' (ids 0-9 are fixed: [PAD] [UNK] [CLS] [SEP] [MASK] A C G T N)");
    }
  }
  std::unordered_map<std::string, std::size_t> ids;
  ids.reserve(model.vocab.size());
  for (std::size_t id = 0; id < model.vocab.size(); ++id) {
    const std::string& token = model.vocab[id];
    if (id >= base.vocab.size() && !is_dna_token(token)) {
      fail("token '" + token + "' (id " + std::to_string(id) +
           ") is not DNA; tokens must be made of A, C, G, T only or of N only");
    }
    auto [it, inserted] = ids.emplace(token, id);
    if (!inserted) {
      fail("token '" + token + "' appears twice (ids " + std::to_string(it->second) + " and " +
           std::to_string(id) + ")");
    }
  }
  PairTable seen(model.merges.size());
  auto vocab_size = static_cast<std::int64_t>(model.vocab.size());
  for (std::size_t rank = 0; rank < model.merges.size(); ++rank) {
    auto [left, right] = model.merges[rank];
    std::string where = "merge " + std::to_string(rank);
    if (left < kFirstBaseId || right < kFirstBaseId || left >= vocab_size || right >= vocab_size) {
      fail(where + " refers to token ids " + std::to_string(left) + " and " + std::to_string(right) +
           "; expected ids of DNA tokens, " + std::to_string(kFirstBaseId) + ".." + std::to_string(vocab_size - 1));
    }
    std::string joined = model.vocab[static_cast<std::size_t>(left)] + model.vocab[static_cast<std::size_t>(right)];
    if (ids.find(joined) == ids.end()) {
      fail(where + " ('" + model.vocab[static_cast<std::size_t>(left)] + " " +
           model.vocab[static_cast<std::size_t>(right)] + "') produces '" + joined + "', which is not in the vocabulary");
    }
    if (!seen.insert(left, right, MergeRule{static_cast<std::int32_t>(rank), 0})) {
      fail(where + " ('" + model.vocab[static_cast<std::size_t>(left)] + " " +
           model.vocab[static_cast<std::size_t>(right)] + "') repeats an earlier merge");
    }
  }
}

}  // namespace genobird::tokenizer
