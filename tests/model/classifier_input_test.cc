// Classifier input: framing with a central cut, padded batches in member order, --rc values.
#include "model/classifier_input.h"

#include <gtest/gtest.h>

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

TEST(ParseRcMode, AcceptsTheThreeModesOnly) {
  EXPECT_EQ(parse_rc_mode("off"), RcMode::kOff);
  EXPECT_EQ(parse_rc_mode("mean"), RcMode::kMean);
  EXPECT_EQ(parse_rc_mode("max"), RcMode::kMax);
  EXPECT_THROW(parse_rc_mode("both"), UsageError);
}

}  // namespace
}  // namespace genobird::model
