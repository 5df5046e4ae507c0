#include <gtest/gtest.h>

#include <set>

#include "model/init.h"
#include "model/model.h"
#include "test_configs.h"
#include "util/error.h"

namespace genobird::model {
namespace {

std::vector<HeadSpec> mlm_and_classifier() {
  HeadSpec mlm{"mlm", HeadKind::kMaskedLm, {}, true};
  HeadSpec promoter{"promoter", HeadKind::kClassification, {"promoter"}, true};
  HeadSpec chromatin{"chromatin", HeadKind::kClassification, {"a", "b", "c"}, true};
  return {mlm, promoter, chromatin};
}

GenobirdModel make_model(const BigBirdConfig& config, const std::vector<HeadSpec>& heads) {
  at::manual_seed(1);
  GenobirdModel model(config, heads);
  initialize_weights(*model);
  model->eval();
  return model;
}

at::Tensor random_ids(std::int64_t batch, std::int64_t n, std::int64_t vocab) {
  return at::randint(5, vocab, {batch, n}, at::kLong);
}

TEST(Encoder, ParameterNamesAreHuggingFaces) {
  GenobirdModel model = make_model(tiny_test_config(), mlm_and_classifier());
  std::set<std::string> names;
  for (const auto& item : model->named_parameters()) names.insert(item.key());
  const std::vector<std::string> expected = {
      "bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
      "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
      "bert.embeddings.LayerNorm.bias", "bert.encoder.layer.1.attention.self.query.weight",
      "bert.encoder.layer.1.attention.self.key.bias", "bert.encoder.layer.1.attention.self.value.weight",
      "bert.encoder.layer.1.attention.output.dense.weight", "bert.encoder.layer.1.attention.output.LayerNorm.bias",
      "bert.encoder.layer.1.intermediate.dense.weight", "bert.encoder.layer.1.output.dense.bias",
      "bert.encoder.layer.1.output.LayerNorm.weight", "bert.pooler.weight", "bert.pooler.bias",
      "cls.predictions.bias", "cls.predictions.transform.dense.weight",
      "cls.predictions.transform.LayerNorm.weight", "classifier.dense.weight", "classifier.out_proj.bias",
      "classifier_chromatin.out_proj.weight"};
  for (const auto& name : expected) EXPECT_TRUE(names.count(name)) << "missing " << name;
  // 5 embedding + 2 layers x 16 + 2 pooler + 5 MLM + 2 classifiers x 4
  EXPECT_EQ(names.size(), 5u + 2 * 16 + 2 + 5 + 8);
  EXPECT_FALSE(names.count("cls.predictions.decoder.weight")) << "the decoder is tied, never a parameter";
}

TEST(Encoder, MlmOnlyModelHasThePoolerAsBigBirdForMaskedLM) {
  GenobirdModel model = make_model(tiny_test_config(), {{"mlm", HeadKind::kMaskedLm, {}, true}});
  std::set<std::string> names;
  for (const auto& item : model->named_parameters()) names.insert(item.key());
  EXPECT_TRUE(names.count("bert.pooler.weight"));
  EXPECT_TRUE(names.count("bert.pooler.bias"));
}

TEST(Encoder, BlockSparseOutputKeepsLengthNotMultipleOfBlock) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, mlm_and_classifier());
  ASSERT_EQ(model->bert->attention_mode(61), AttentionMode::kBlockSparse);
  at::Tensor ids = random_ids(2, 61, config.vocab_size);
  EncoderOutput out = model->encode(ids, at::Tensor());
  EXPECT_EQ(out.sequence.sizes(), (std::vector<std::int64_t>{2, 61, 16}));
  EXPECT_EQ(out.pooled.sizes(), (std::vector<std::int64_t>{2, 16}));
  EXPECT_EQ(model->mlm_logits(out).sizes(), (std::vector<std::int64_t>{2, 61, 40}));
  EXPECT_EQ(model->classify("promoter", out).sizes(), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(model->classify("chromatin", out).sizes(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_FALSE(out.sequence.isnan().any().item<bool>());
}

TEST(Encoder, PaddedTokensDoNotChangeRealOutputs) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, {});
  at::Tensor ids = random_ids(1, 80, config.vocab_size);
  at::Tensor mask = at::ones({1, 80}, at::kLong);
  mask.narrow(1, 50, 30).zero_();
  at::Tensor other = ids.clone();
  other.narrow(1, 50, 30).fill_(7);
  at::Tensor a = model->encode(ids, mask).sequence.narrow(1, 0, 50);
  at::Tensor b = model->encode(other, mask).sequence.narrow(1, 0, 50);
  EXPECT_TRUE(at::allclose(a, b, 1e-6, 1e-6));
  at::Tensor unmasked = model->encode(other, at::Tensor()).sequence.narrow(1, 0, 50);
  EXPECT_FALSE(at::allclose(a, unmasked, 1e-4, 1e-4)) << "negative control: without the mask they must differ";
}

TEST(Encoder, ShortInputsUseFullAttention) {
  BigBirdConfig sparse = tiny_test_config();
  BigBirdConfig full = sparse;
  full.attention_type = "original_full";
  GenobirdModel a = make_model(sparse, {});
  GenobirdModel b = make_model(full, {});
  at::Tensor short_ids = random_ids(2, 56, sparse.vocab_size);
  EXPECT_EQ(a->bert->attention_mode(56), AttentionMode::kFull);
  EXPECT_TRUE(at::equal(a->encode(short_ids, {}).sequence, b->encode(short_ids, {}).sequence));
  at::Tensor long_ids = random_ids(2, 64, sparse.vocab_size);
  EXPECT_FALSE(at::allclose(a->encode(long_ids, {}).sequence, b->encode(long_ids, {}).sequence, 1e-4, 1e-4));
}

TEST(Encoder, EvalIsDeterministicAndTrainingUsesDropout) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, {});
  at::Tensor ids = random_ids(1, 64, config.vocab_size);
  EXPECT_TRUE(at::equal(model->encode(ids, {}).sequence, model->encode(ids, {}).sequence));
  model->train();
  EXPECT_FALSE(at::equal(model->encode(ids, {}).sequence, model->encode(ids, {}).sequence));
}

TEST(Encoder, RejectsInputsLongerThanPositions) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, {});
  EXPECT_THROW(model->encode(random_ids(1, 257, config.vocab_size), {}), ModelError);
}

TEST(Heads, MlmDecoderIsTiedToWordEmbeddings) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, mlm_and_classifier());
  EncoderOutput out = model->encode(random_ids(1, 64, config.vocab_size), {});
  at::Tensor before = model->mlm_logits(out);
  {
    at::NoGradGuard no_grad;
    model->bert->embeddings->word_embeddings->weight[9].add_(1.0);
  }
  at::Tensor after = model->mlm_logits(out);
  EXPECT_FALSE(at::allclose(before.select(2, 9), after.select(2, 9)));
  EXPECT_TRUE(at::equal(before.select(2, 10), after.select(2, 10)));
}

TEST(Encoder, GradientsReachEveryParameterInBlockSparseMode) {
  BigBirdConfig config = tiny_test_config();
  GenobirdModel model = make_model(config, mlm_and_classifier());
  model->train();
  at::Tensor ids = random_ids(2, 72, config.vocab_size);
  EncoderOutput out = model->encode(ids, {});
  (model->mlm_logits(out).sum() + model->classify("promoter", out).sum() + model->classify("chromatin", out).sum() +
   out.pooled.sum())
      .backward();
  for (const auto& item : model->named_parameters()) {
    ASSERT_TRUE(item.value().grad().defined()) << item.key();
    EXPECT_GT(item.value().grad().abs().sum().item<double>(), 0) << item.key();
  }
}

TEST(Init, FollowsHuggingFace) {
  BigBirdConfig config = tiny_test_config();
  config.hidden_size = 64;
  config.intermediate_size = 256;
  config.vocab_size = 400;
  GenobirdModel model = make_model(config, mlm_and_classifier());
  for (const auto& item : model->named_parameters()) {
    const std::string& name = item.key();
    const at::Tensor& p = item.value();
    if (name.find("LayerNorm.weight") != std::string::npos) {
      EXPECT_TRUE(at::equal(p, at::ones_like(p))) << name;
    } else if (name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0) {
      EXPECT_TRUE(at::equal(p, at::zeros_like(p))) << name;
    } else if (p.numel() >= 4096) {
      EXPECT_NEAR(p.std().item<double>(), 0.02, 0.002) << name;
      EXPECT_NEAR(p.mean().item<double>(), 0.0, 0.002) << name;
    }
  }
  EXPECT_EQ(model->bert->embeddings->word_embeddings->weight[0].abs().sum().item<double>(), 0.0) << "padding row";
}

TEST(HeadSpecs, BadListsAreRejected) {
  const BigBirdConfig config = tiny_test_config();
  auto make = [&](std::vector<HeadSpec> heads) { GenobirdModel model(config, heads); };
  const HeadSpec mlm{"mlm", HeadKind::kMaskedLm, {}, true};
  const HeadSpec classifier{"x", HeadKind::kClassification, {"label"}, true};
  EXPECT_THROW(make({mlm, HeadSpec{"mlm2", HeadKind::kMaskedLm, {}, true}}), ModelError);
  EXPECT_THROW(make({classifier, classifier}), ModelError);
  EXPECT_THROW(make({HeadSpec{"bad name", HeadKind::kClassification, {"l"}, true}}), ModelError);
  EXPECT_THROW(make({HeadSpec{"x", HeadKind::kClassification, {}, true}}), ModelError);
  EXPECT_NO_THROW(make({mlm, classifier}));
}

}  // namespace
}  // namespace genobird::model
