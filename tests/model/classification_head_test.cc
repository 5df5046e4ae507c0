// What a classification head reads: the first token (HuggingFace's pooling) or the mean of the real tokens,
// checked against the head's layers applied by hand to the encoder's output.
#include <gtest/gtest.h>

#include "model/activation.h"
#include "model/init.h"
#include "model/model.h"
#include "test_configs.h"
#include "util/error.h"

namespace genobird::model {
namespace {

GenobirdModel model_pooling(Pooling pooling) {
  at::manual_seed(3);
  HeadSpec head{"chromatin", HeadKind::kClassification, {"a", "b", "c"}, true};
  head.pooling = pooling;
  GenobirdModel model(tiny_test_config(), std::vector<HeadSpec>{head});
  initialize_weights(*model);
  model->eval();
  return model;
}

// The head's layers (dropout is off in eval mode) on a pooled vector [batch, hidden].
at::Tensor head_by_hand(GenobirdModelImpl& model, const at::Tensor& pooled) {
  torch::nn::Module& head = *model.named_children()["classifier"];
  auto params = head.named_parameters();
  at::Tensor h = activation(at::linear(pooled, params["dense.weight"], params["dense.bias"]), model.config().hidden_act);
  return at::linear(h, params["out_proj.weight"], params["out_proj.bias"]);
}

TEST(ClassificationHead, FirstTokenPooling) {
  GenobirdModel model = model_pooling(Pooling::kFirst);
  at::NoGradGuard no_grad;
  at::Tensor ids = at::randint(5, 40, {2, 30}, at::kLong);
  EncoderOutput out = model->encode(ids, {});
  EXPECT_TRUE(at::allclose(model->classify("chromatin", out), head_by_hand(*model, out.sequence.select(1, 0)), 1e-5, 1e-6));
}

TEST(ClassificationHead, MeanPoolingAveragesRealTokensOnly) {
  GenobirdModel model = model_pooling(Pooling::kMean);
  at::NoGradGuard no_grad;
  at::Tensor ids = at::randint(5, 40, {2, 30}, at::kLong);
  at::Tensor mask = at::ones({2, 30}, at::kLong);
  mask[1].narrow(0, 18, 12).zero_();  // the second sequence has 18 real tokens
  EncoderOutput out = model->encode(ids, mask);
  ASSERT_TRUE(out.real.defined());
  at::Tensor expected = at::stack({out.sequence[0].mean(0), out.sequence[1].narrow(0, 0, 18).mean(0)});
  at::Tensor logits = model->classify("chromatin", out);
  EXPECT_TRUE(at::allclose(logits, head_by_hand(*model, expected), 1e-5, 1e-6));
  // The padded sequence scores as it does alone (full attention masks padding exactly).
  at::Tensor alone = model->classify("chromatin", model->encode(ids[1].narrow(0, 0, 18).unsqueeze(0), {}));
  EXPECT_TRUE(at::allclose(logits[1], alone[0], 1e-5, 1e-6));
  // Differs from first-token pooling of the same encoder output.
  EXPECT_FALSE(at::allclose(logits, head_by_hand(*model, out.sequence.select(1, 0)), 1e-3, 1e-3));
}

TEST(ClassificationHead, MeanPoolingInBlockSparseMode) {
  GenobirdModel model = model_pooling(Pooling::kMean);
  at::NoGradGuard no_grad;
  ASSERT_EQ(model->bert->attention_mode(61), AttentionMode::kBlockSparse);
  at::Tensor ids = at::randint(5, 40, {1, 61}, at::kLong);
  EncoderOutput out = model->encode(ids, {});
  EXPECT_FALSE(out.real.defined()) << "no padding in the input, none reported (internal block padding excluded)";
  EXPECT_TRUE(at::allclose(model->classify("chromatin", out), head_by_hand(*model, out.sequence.mean(1)), 1e-5, 1e-6));
}

TEST(ClassificationHead, PoolingNames) {
  EXPECT_EQ(parse_pooling("cls"), Pooling::kFirst);
  EXPECT_EQ(parse_pooling("mean"), Pooling::kMean);
  EXPECT_STREQ(pooling_name(Pooling::kMean), "mean");
  EXPECT_STREQ(pooling_name(Pooling::kFirst), "cls");
  EXPECT_THROW(parse_pooling("max"), ModelError);
}

}  // namespace
}  // namespace genobird::model
