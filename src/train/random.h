// A small, fast and portable random-number generator (SplitMix64, Steele et al. 2014), used where a
// random stream must be reproducible from a seed on every platform and compiler (std:: distributions are
// implementation-defined) and cheap to create per example.
#pragma once

#include <cstdint>

namespace genobird::train {

// Mixes 64 bits (SplitMix64's finaliser); a bijection, so distinct inputs give distinct outputs.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  // A generator for item `index` of stream `stream` under `seed`: independent of every other item, so
  // items can be made in any order, on any thread, and again after a restart.
  static SplitMix64 for_item(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    return SplitMix64(mix64(mix64(seed ^ mix64(stream)) ^ index));
  }

  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n >= 1 (multiply-shift; bias below 2^-64 * n, irrelevant here).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace genobird::train
