// The DNA alphabet of genobird's tokenizer and its normalisation policy.
//
// Policy (the same in the C++ encoder and in the normaliser written to tokenizer.json):
//   - A, C, G, T are the base symbols; lowercase (soft-masked) a, c, g, t are upper-cased.
//   - Every other byte (N, n, the IUPAC ambiguity codes R Y S W K M B D H V, U, '-', '*', anything else)
//     becomes N. Normalisation never drops or inserts a byte, so position i of the normalised sequence is
//     position i of the input and token offsets are genome coordinates.
//   - Runs of N are words of their own: a token is either all A/C/G/T or all N, never a mix, so an
//     assembly gap never merges with the bases beside it.
//   - Special tokens have fixed ids 0..4; the five base symbols follow with ids 5..9.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace genobird::tokenizer {

inline constexpr std::int32_t kPadId = 0;
inline constexpr std::int32_t kUnkId = 1;
inline constexpr std::int32_t kClsId = 2;
inline constexpr std::int32_t kSepId = 3;
inline constexpr std::int32_t kMaskId = 4;
inline constexpr std::int32_t kNumSpecialTokens = 5;

// Indexed by id: kSpecialTokens[kMaskId] == "[MASK]".
inline constexpr std::array<std::string_view, kNumSpecialTokens> kSpecialTokens = {"[PAD]", "[UNK]", "[CLS]",
                                                                                   "[SEP]", "[MASK]"};

// The base symbols in id order, starting at kFirstBaseId: A=5, C=6, G=7, T=8, N=9.
inline constexpr std::string_view kBaseSymbols = "ACGTN";
inline constexpr std::int32_t kFirstBaseId = kNumSpecialTokens;
inline constexpr std::int32_t kNId = kFirstBaseId + 4;
inline constexpr std::int32_t kNumBaseTokens = kNumSpecialTokens + 5;

// The normalised base of one input byte: 'A', 'C', 'G', 'T' or 'N'.
constexpr char normalise_base(char byte) {
  switch (byte) {
    case 'A': case 'a': return 'A';
    case 'C': case 'c': return 'C';
    case 'G': case 'g': return 'G';
    case 'T': case 't': return 'T';
    default: return 'N';
  }
}

// Id of the base symbol of one input byte (kFirstBaseId .. kNId).
constexpr std::int32_t base_id(char byte) {
  switch (normalise_base(byte)) {
    case 'A': return kFirstBaseId;
    case 'C': return kFirstBaseId + 1;
    case 'G': return kFirstBaseId + 2;
    case 'T': return kFirstBaseId + 3;
    default: return kNId;
  }
}

}  // namespace genobird::tokenizer
