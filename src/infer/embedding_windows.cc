#include "infer/embedding_windows.h"

#include <algorithm>

namespace genobird::infer {

std::vector<TokenWindow> token_windows(std::size_t tokens, std::size_t capacity) {
  capacity = std::max<std::size_t>(capacity, 1);
  if (tokens <= capacity) return {{0, tokens, 0, tokens}};
  const std::size_t stride = std::max<std::size_t>(capacity - capacity / 4, 1);
  std::vector<TokenWindow> windows;
  for (std::size_t first = 0;; first += stride) {
    const bool last = first + capacity >= tokens;
    windows.push_back({last ? tokens - capacity : first, capacity, 0, 0});
    if (last) break;
  }
  // Two windows of equal length share their nearest-centre boundary halfway between their starts (in twice
  // the token units, so that the rounding is exact): token t belongs to the earlier window when
  // 2t + 1 <= start_a + start_b + capacity, i.e. its centre is nearer or equally near.
  windows.front().keep_first = 0;
  for (std::size_t i = 0; i + 1 < windows.size(); ++i) {
    const std::size_t twice = windows[i].first + windows[i + 1].first + capacity;
    const std::size_t boundary = twice / 2 + (twice % 2);  // first t with 2t + 1 > twice
    windows[i].keep_end = boundary;
    windows[i + 1].keep_first = boundary;
  }
  windows.back().keep_end = tokens;
  return windows;
}

}  // namespace genobird::infer
