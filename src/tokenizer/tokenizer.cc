#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "tokenizer/tokenizer_json.h"
#include "tokenizer/word_merger.h"
#include "util/error.h"

namespace genobird::tokenizer {

Tokenizer::Tokenizer(BpeModel model) : model_(std::move(model)) {
  check_bpe_model(model_, "model");
  pairs_ = PairTable(model_.merges.size());
  token_ids_.reserve(model_.vocab.size());
  for (std::size_t id = 0; id < model_.vocab.size(); ++id) token_ids_.emplace(model_.vocab[id], static_cast<std::int32_t>(id));
  for (std::size_t rank = 0; rank < model_.merges.size(); ++rank) {
    auto [left, right] = model_.merges[rank];
    std::int32_t result = token_ids_.at(model_.vocab[static_cast<std::size_t>(left)] + model_.vocab[static_cast<std::size_t>(right)]);
    pairs_.insert(left, right, MergeRule{static_cast<std::int32_t>(rank), result});
  }
  history_ = MergeHistory(model_, pairs_);
}

Tokenizer Tokenizer::load(const std::string& tokenizer_json_path) {
  return Tokenizer(read_tokenizer_json(tokenizer_json_path));
}

void Tokenizer::save(const std::string& path) const { write_tokenizer_json(model_, path); }

Encoding Tokenizer::encode(std::string_view seq) const {
  Encoding encoding;
  encode_into(seq, encoding);
  return encoding;
}

void Tokenizer::encode_into(std::string_view seq, Encoding& out) const {
  // Per-thread scratch: encoding allocates nothing per call once a thread has seen its longest word.
  thread_local std::vector<std::int32_t> base_ids;
  static constexpr auto kBaseIdOfByte = [] {
    std::array<std::int32_t, 256> table{};
    for (int byte = 0; byte < 256; ++byte) table[static_cast<std::size_t>(byte)] = base_id(static_cast<char>(byte));
    return table;
  }();

  out.ids.clear();
  out.offsets.clear();
  // Bytes per token is ~4-9 on genomes; reserving n/4 avoids most regrowth without a large overshoot.
  out.ids.reserve(seq.size() / 4 + 1);
  out.offsets.reserve(seq.size() / 4 + 1);
  base_ids.resize(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) base_ids[i] = kBaseIdOfByte[static_cast<unsigned char>(seq[i])];

  std::size_t start = 0;
  while (start < seq.size()) {
    bool n_run = base_ids[start] == kNId;
    std::size_t end = start + 1;
    while (end < seq.size() && (base_ids[end] == kNId) == n_run) ++end;
    encode_word(base_ids.data() + start, end - start, start, out);
    start = end;
  }
}

namespace {

// Windows of long runs: pieces of kPieceBases, each merged with kLookahead more bases so that the tokens
// before the cut are those of a longer context. A few kbp keep the merger's arrays in L1/L2 cache.
constexpr std::size_t kPieceBases = 4096;
constexpr std::size_t kLookahead = 256;
// How many token boundaries before the window's end are tried as the cut.
constexpr std::size_t kCutCandidates = 32;

thread_local MergeWorkspace workspace;

}  // namespace

void Tokenizer::encode_word(const std::int32_t* ids, std::size_t n, std::size_t offset, Encoding& out) const {
  if (n > kPieceBases + kLookahead && history_.monotone() && encode_word_in_pieces(ids, n, offset, out)) return;
  if (n > kNone - 1) {
    throw Error("a run of " + std::to_string(n) + " bases is longer than the encoder's limit of 4 Gbp");
  }
  WordMerger merger(model_.merges, pairs_, workspace);
  merger.merge(ids, static_cast<std::uint32_t>(n), [&](std::int32_t id, std::uint32_t start, std::uint32_t end) {
    out.ids.push_back(id);
    out.offsets.push_back(TokenSpan{offset + start, offset + end});
  });
}

bool Tokenizer::encode_word_in_pieces(const std::int32_t* ids, std::size_t n, std::size_t offset,
                                      Encoding& out) const {
  // A window [pos, pos + kPieceBases + kLookahead) is merged on its own; its tokens up to a token boundary
  // `cut` are exactly those of the piece [pos, cut) merged on its own (a boundary of a process's result
  // is never crossed in it, so the two sides evolve independently). The cut is then safe for the whole
  // run if MergeHistory proves that the tokens on its two sides could never have merged.
  std::size_t first_token = out.ids.size();
  struct Token {
    std::int32_t id;
    std::uint32_t start;
    std::uint32_t end;
  };
  thread_local std::vector<Token> window;
  WordMerger merger(model_.merges, pairs_, workspace);
  std::int32_t last_id = -1;  // last token of the previous piece
  std::size_t pos = 0;
  while (pos < n) {
    std::size_t length = std::min(n - pos, kPieceBases + kLookahead);
    window.clear();
    merger.merge(ids + pos, static_cast<std::uint32_t>(length), [&](std::int32_t id, std::uint32_t start, std::uint32_t end) {
      window.push_back(Token{id, start, end});
    });
    std::size_t take = window.size();  // tokens of the window that form the piece
    if (pos + length < n) {
      // The last boundary at or before kPieceBases whose neighbours have known chains, else the last one.
      std::size_t last = 0;
      while (last + 1 < window.size() && window[last + 1].end <= kPieceBases) ++last;
      take = last + 1;
      for (std::size_t k = last, tries = 0; k > 0 && tries < kCutCandidates; --k, ++tries) {
        if (history_.has_known_chains(window[k].id) && history_.has_known_chains(window[k + 1].id)) {
          take = k + 1;
          break;
        }
      }
    }
    if (last_id >= 0 && history_.may_merge_across(last_id, window[0].id, pairs_)) {
      out.ids.resize(first_token);
      out.offsets.resize(first_token);
      return false;
    }
    for (std::size_t k = 0; k < take; ++k) {
      out.ids.push_back(window[k].id);
      out.offsets.push_back(TokenSpan{offset + pos + window[k].start, offset + pos + window[k].end});
    }
    last_id = window[take - 1].id;
    pos += window[take - 1].end;
  }
  return true;
}

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& seqs, int threads) const {
  std::vector<Encoding> encodings(seqs.size());
  std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), seqs.size());
  if (workers <= 1) {
    for (std::size_t i = 0; i < seqs.size(); ++i) encode_into(seqs[i], encodings[i]);
    return encodings;
  }
  // Work stealing by index: sequences differ widely in length (a chromosome next to a plasmid).
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (std::size_t i = next++; i < seqs.size(); i = next++) encode_into(seqs[i], encodings[i]);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next = seqs.size();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
  return encodings;
}

std::string Tokenizer::decode(const std::vector<std::int32_t>& ids) const {
  std::string seq;
  for (std::int32_t id : ids) {
    const std::string& token = id_to_token(id);
    if (id >= kNumSpecialTokens) seq += token;
  }
  return seq;
}

std::int32_t Tokenizer::token_to_id(std::string_view token) const {
  auto it = token_ids_.find(std::string(token));
  return it == token_ids_.end() ? -1 : it->second;
}

const std::string& Tokenizer::id_to_token(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= model_.vocab.size()) {
    throw ModelError("token id " + std::to_string(id) + " is outside the vocabulary (ids 0.." +
                     std::to_string(model_.vocab.size() - 1) + ")");
  }
  return model_.vocab[static_cast<std::size_t>(id)];
}

}  // namespace genobird::tokenizer
