#include "io/sequence.h"

#include <algorithm>
#include <array>

namespace genobird::io {
namespace {
// IUPAC complement table, case preserving; other bytes map to themselves.
constexpr std::array<char, 256> make_complement_table() {
  std::array<char, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = static_cast<char>(i);
  const char from[] = "ACGTURYSWKMBDHVN";
  const char to[] = "TGCAAYRSWMKVHDBN";
  for (int i = 0; from[i] != '\0'; ++i) {
    t[static_cast<unsigned char>(from[i])] = to[i];
    t[static_cast<unsigned char>(from[i] + 32)] = static_cast<char>(to[i] + 32);
  }
  return t;
}
constexpr std::array<char, 256> kComplement = make_complement_table();
}  // namespace

char complement_base(char base) { return kComplement[static_cast<unsigned char>(base)]; }

void reverse_complement_inplace(std::string& seq) {
  std::reverse(seq.begin(), seq.end());
  for (char& c : seq) c = kComplement[static_cast<unsigned char>(c)];
}

std::string reverse_complement(std::string_view seq) {
  std::string out(seq.rbegin(), seq.rend());
  for (char& c : out) c = kComplement[static_cast<unsigned char>(c)];
  return out;
}

void to_upper_inplace(std::string& seq) {
  for (char& c : seq)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
}

bool is_iupac_base(char base) {
  switch (base | 0x20) {  // lower-case view of letters
    case 'a': case 'c': case 'g': case 't': case 'u': case 'r': case 'y': case 's':
    case 'w': case 'k': case 'm': case 'b': case 'd': case 'h': case 'v': case 'n':
      return (base >= 'A' && base <= 'Z') || (base >= 'a' && base <= 'z');
    default:
      return false;
  }
}

std::vector<Interval> find_n_runs(std::string_view seq, std::uint64_t min_length) {
  std::vector<Interval> runs;
  std::uint64_t i = 0;
  const std::uint64_t n = seq.size();
  while (i < n) {
    if ((seq[i] | 0x20) != 'n') {
      ++i;
      continue;
    }
    std::uint64_t start = i;
    while (i < n && (seq[i] | 0x20) == 'n') ++i;
    if (i - start >= std::max<std::uint64_t>(min_length, 1)) runs.push_back({start, i});
  }
  return runs;
}

std::uint64_t count_n(std::string_view seq) {
  return static_cast<std::uint64_t>(std::count_if(seq.begin(), seq.end(), [](char c) { return (c | 0x20) == 'n'; }));
}

}  // namespace genobird::io
