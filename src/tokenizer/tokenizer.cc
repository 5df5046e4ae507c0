#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "tokenizer/tokenizer_json.h"
#include "util/error.h"

namespace genobird::tokenizer {

Tokenizer::Tokenizer(BpeModel model) : model_(std::move(model)) {
  check_bpe_model(model_, "model");
  PairTable pairs(model_.merges.size());
  token_ids_.reserve(model_.vocab.size());
  for (std::size_t id = 0; id < model_.vocab.size(); ++id) token_ids_.emplace(model_.vocab[id], static_cast<std::int32_t>(id));
  for (std::size_t rank = 0; rank < model_.merges.size(); ++rank) {
    auto [left, right] = model_.merges[rank];
    std::int32_t result = token_ids_.at(model_.vocab[static_cast<std::size_t>(left)] + model_.vocab[static_cast<std::size_t>(right)]);
    pairs.insert(left, right, MergeRule{static_cast<std::int32_t>(rank), result});
  }
  encoder_ = BacktrackEncoder(model_, pairs);
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

void Tokenizer::encode_ids(std::string_view seq, std::vector<std::int32_t>& ids) const {
  // Per-thread scratch: encoding allocates nothing per call once a thread has seen its longest input.
  thread_local std::vector<std::uint8_t> codes;
  static constexpr auto kCodeOfByte = [] {
    std::array<std::uint8_t, 256> table{};
    for (int byte = 0; byte < 256; ++byte) table[static_cast<std::size_t>(byte)] = base_code(static_cast<char>(byte));
    return table;
  }();
  codes.resize(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) codes[i] = kCodeOfByte[static_cast<unsigned char>(seq[i])];
  ids.clear();
  // Bytes per token is ~4-9 on genomes; reserving n/4 avoids most regrowth without a large overshoot.
  ids.reserve(seq.size() / 4 + 1);
  encoder_.encode(codes.data(), codes.size(), ids);
}

std::size_t Tokenizer::count_tokens(std::string_view seq) const {
  thread_local std::vector<std::int32_t> ids;
  encode_ids(seq, ids);
  return ids.size();
}

void Tokenizer::encode_into(std::string_view seq, Encoding& out) const {
  out.offsets.clear();
  encode_ids(seq, out.ids);
  out.offsets.resize(out.ids.size());
  std::size_t pos = 0;
  for (std::size_t i = 0; i < out.ids.size(); ++i) {
    std::size_t end = pos + encoder_.length(out.ids[i]);
    out.offsets[i] = TokenSpan{pos, end};
    pos = end;
  }
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
