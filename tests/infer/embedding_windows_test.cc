// Overlapping token windows of long records against a brute-force nearest-centre assignment.
#include <gtest/gtest.h>

#include <cstdlib>

#include "infer/embedding_windows.h"

namespace genobird::infer {
namespace {

TEST(TokenWindows, ShortRecordIsOneWindow) {
  const auto windows = token_windows(10, 254);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].first, 0u);
  EXPECT_EQ(windows[0].count, 10u);
  EXPECT_EQ(windows[0].keep_first, 0u);
  EXPECT_EQ(windows[0].keep_end, 10u);
  EXPECT_EQ(token_windows(254, 254).size(), 1u);
}

TEST(TokenWindows, KeptRangesTileTheRecordAndFollowTheNearestCentre) {
  for (std::size_t capacity : {1u, 2u, 5u, 8u, 64u, 254u}) {
    for (std::size_t tokens : {capacity + 1, capacity * 2, capacity * 3 + 7, capacity * 10 + 1}) {
      const auto windows = token_windows(tokens, capacity);
      ASSERT_GE(windows.size(), 2u);
      std::size_t next = 0;
      for (std::size_t i = 0; i < windows.size(); ++i) {
        const TokenWindow& w = windows[i];
        EXPECT_EQ(w.count, capacity);
        EXPECT_LE(w.first + w.count, tokens);
        EXPECT_EQ(w.keep_first, next) << "kept ranges must be contiguous";
        EXPECT_GE(w.keep_first, w.first);
        EXPECT_LE(w.keep_end, w.first + w.count);
        if (i > 0) {
          EXPECT_GT(w.first, windows[i - 1].first);
        }
        next = w.keep_end;
        // The slow rule: every kept token is at least as near this window's centre as any other window's,
        // and strictly nearer than any earlier window's (ties go to the earlier one).
        for (std::size_t t = w.keep_first; t < w.keep_end; ++t) {
          const double mine = std::abs(static_cast<double>(t) - (w.first + (capacity - 1) / 2.0));
          for (std::size_t j = 0; j < windows.size(); ++j) {
            if (j == i) continue;
            const double other = std::abs(static_cast<double>(t) - (windows[j].first + (capacity - 1) / 2.0));
            if (j < i) {
              EXPECT_LT(mine, other) << "token " << t << " capacity " << capacity;
            } else {
              EXPECT_LE(mine, other) << "token " << t << " capacity " << capacity;
            }
          }
        }
      }
      EXPECT_EQ(next, tokens);
      // Inner boundaries keep an eighth of a window of context on both sides.
      for (std::size_t i = 0; i + 1 < windows.size(); ++i)
        EXPECT_GE(windows[i].first + capacity - windows[i].keep_end, capacity / 8);
    }
  }
}

}  // namespace
}  // namespace genobird::infer
