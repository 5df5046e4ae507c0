#include "tokenizer/training_input.h"

#include "io/read_sequences.h"
#include "util/log.h"

namespace genobird::tokenizer {

namespace {

// Appends `seq` unless the budget is spent; returns false once it is.
bool keep(std::string&& seq, std::uint64_t max_bases, std::uint64_t& total, std::vector<std::string>& out) {
  if (max_bases > 0) {
    if (total >= max_bases) return false;
    if (seq.size() > max_bases - total) seq.resize(max_bases - total);
  }
  total += seq.size();
  if (!seq.empty()) out.push_back(std::move(seq));
  return max_bases == 0 || total < max_bases;
}

}  // namespace

std::vector<std::string> read_training_sequences(const std::vector<std::string>& paths, std::uint64_t max_bases) {
  std::vector<std::string> sequences;
  std::uint64_t total = 0;
  for (const auto& path : paths) {
    bool more = true;
    io::for_each_read_sequence(path, "", [&](std::string& seq) {
      more = keep(std::move(seq), max_bases, total, sequences);
      return more;
    });
    LOG_DEBUG("read " << path << "; " << total << " bases so far");
    if (!more) break;
  }
  return sequences;
}

}  // namespace genobird::tokenizer
