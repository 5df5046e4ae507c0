// Counts with their noun for messages: "1 region", "2 regions", "0 regions".
#pragma once

#include <cstdint>
#include <string>

namespace genobird {

// `n` and the noun it counts: `singular` for exactly one, else `plural` (by default `singular` + "s", so
// irregular nouns pass theirs: count_noun(n, "entry", "entries")).
inline std::string count_noun(std::uint64_t n, const std::string& singular, const std::string& plural = "") {
  return std::to_string(n) + " " + (n == 1 ? singular : plural.empty() ? singular + "s" : plural);
}

}  // namespace genobird
