// Sequence utilities: IUPAC-aware reverse complement, upper-casing, runs of N.
//
// All functions are pure and thread-safe. Bases are bytes; IUPAC codes (ACGTUNRYSWKMBDHV and lowercase)
// complement to their IUPAC complement (R<->Y, K<->M, B<->V, D<->H; S, W, N stay), case is preserved, and any
// other byte is left as it is.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genobird::io {

// Complement of one base, e.g. 'A' -> 'T', 'r' -> 'y', 'N' -> 'N'.
char complement_base(char base);

// Reverse complement, in place or as a copy.
void reverse_complement_inplace(std::string& seq);
std::string reverse_complement(std::string_view seq);

// Upper-cases ASCII letters in place (soft-masked lowercase bases become plain bases).
void to_upper_inplace(std::string& seq);

// True for the 15 IUPAC nucleotide codes, U, and their lowercase forms.
bool is_iupac_base(char base);

// A half-open interval [start, end) of sequence positions.
struct Interval {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  bool operator==(const Interval& other) const { return start == other.start && end == other.end; }
};

// Maximal runs of 'N'/'n' of at least `min_length` bases, in order.
std::vector<Interval> find_n_runs(std::string_view seq, std::uint64_t min_length = 1);

// Number of 'N'/'n' bases.
std::uint64_t count_n(std::string_view seq);

}  // namespace genobird::io
