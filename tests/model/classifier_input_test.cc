// Classifier input: framing with a central cut, padded batches in member order, forward passes that keep
// each member's result independent of the others, --rc values.
#include "model/classifier_input.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "model/test_configs.h"
#include "tokenizer/alphabet.h"
#include "util/error.h"

namespace genobird::model {
namespace {

TEST(FrameTokens, AddsClsAndSepAndKeepsTheCentreOfLongInputs) {
  bool truncated = true;
  EXPECT_EQ(frame_tokens({7, 8, 9}, 10, truncated), (TokenIds{tokenizer::kClsId, 7, 8, 9, tokenizer::kSepId}));
  EXPECT_FALSE(truncated);
  // Room for 3 of 7 ids: the central ones, 11 12 13.
  EXPECT_EQ(frame_tokens({9, 10, 11, 12, 13, 14, 15}, 5, truncated),
            (TokenIds{tokenizer::kClsId, 11, 12, 13, tokenizer::kSepId}));
  EXPECT_TRUE(truncated);
}

TEST(MakeTokenBatch, PadsMembersInOrderWithAMaskOfRealTokens) {
  const std::vector<TokenIds> sequences = {{2, 5, 3}, {2, 6, 7, 8, 3}, {2, 9, 3}};
  TokenBatch batch = make_token_batch(sequences, {2, 1}, 0, c10::Device(c10::kCPU));
  EXPECT_TRUE(at::equal(batch.input_ids, at::tensor({2, 9, 3, 0, 0, 2, 6, 7, 8, 3}, at::kLong).view({2, 5})));
  EXPECT_TRUE(at::equal(batch.attention_mask, at::tensor({1, 1, 1, 0, 0, 1, 1, 1, 1, 1}, at::kLong).view({2, 5})));
  // A requested length longer than every member pads further.
  EXPECT_EQ(make_token_batch(sequences, {0}, 6, c10::Device(c10::kCPU)).input_ids.size(1), 6);
}

TEST(IndependentBatches, FullAttentionSharesPassesAndBlockSparseGroupsByOwnBlockMultiple) {
  const BigBirdConfig config = tiny_test_config();  // block 8; full attention up to 56 tokens
  std::vector<TokenIds> sequences;
  for (std::size_t n : {10, 57, 30, 64, 100, 56, 60, 97, 12}) sequences.push_back(TokenIds(n, 5));
  const std::vector<std::size_t> members = {0, 1, 2, 3, 4, 5, 6, 7, 8};  // every row, once
  const auto passes = independent_batches(sequences, 2, config);
  std::multiset<std::size_t> seen;
  for (const auto& pass : passes) {
    ASSERT_FALSE(pass.members.empty());
    EXPECT_LE(pass.members.size(), 2u);
    std::int64_t longest = 0;
    for (std::size_t m : pass.members) {
      seen.insert(m);
      const auto n = static_cast<std::int64_t>(sequences[m].size());
      longest = std::max(longest, n);
      if (n <= 56) {
        EXPECT_LE(pass.length, 56) << "member " << m;  // stays under full attention
      } else {
        EXPECT_EQ(pass.length, (n + 7) / 8 * 8) << "member " << m;  // its own block multiple, as alone
      }
    }
    if (longest <= 56) {
      EXPECT_EQ(pass.length, longest);  // full attention: padded to the longest only
    }
  }
  EXPECT_EQ(seen, std::multiset<std::size_t>(members.begin(), members.end()));
  // Full {10, 30, 56, 12}: two passes; block-sparse 64 {57, 64, 60}: two, 104 {100, 97}: one.
  EXPECT_EQ(passes.size(), 5u);
  EXPECT_EQ(passes.front().members, (std::vector<std::size_t>{0, 8}));  // full attention: shortest first
  EXPECT_EQ(passes.front().length, 12);
  EXPECT_EQ(passes[2].members, (std::vector<std::size_t>{1, 3}));  // block-sparse: in order
  // Without block-sparse attention everything may share a pass.
  BigBirdConfig full = config;
  full.attention_type = "original_full";
  EXPECT_EQ(independent_batches(sequences, 16, full).size(), 1u);
}

TEST(ParseRcMode, AcceptsTheThreeModesOnly) {
  EXPECT_EQ(parse_rc_mode("off"), RcMode::kOff);
  EXPECT_EQ(parse_rc_mode("mean"), RcMode::kMean);
  EXPECT_EQ(parse_rc_mode("max"), RcMode::kMax);
  EXPECT_THROW(parse_rc_mode("both"), UsageError);
}

}  // namespace
}  // namespace genobird::model
