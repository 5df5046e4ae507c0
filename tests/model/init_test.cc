#include <gtest/gtest.h>

#include <cmath>

#include "model/encoder.h"
#include "model/init.h"
#include "model/model.h"
#include "util/error.h"

namespace genobird::model {
namespace {

BigBirdConfig config_with(std::int64_t hidden, std::int64_t heads, std::int64_t positions) {
  BigBirdConfig c;
  c.vocab_size = 300;
  c.hidden_size = hidden;
  c.num_hidden_layers = 2;
  c.num_attention_heads = heads;
  c.intermediate_size = 2 * hidden;
  c.max_position_embeddings = positions;
  c.block_size = 16;
  c.num_random_blocks = 1;
  return c;
}

GenobirdModel make_model(const BigBirdConfig& config, WeightInit init) {
  at::manual_seed(3);
  const std::vector<HeadSpec> heads = {HeadSpec{"mlm", HeadKind::kMaskedLm, {}, true}};
  GenobirdModel model(config, heads);
  initialize_weights(*model, init);
  model->eval();
  return model;
}

// The first layer's attention probabilities [heads, n, n] on random tokens, computed from the weights
// directly (embeddings, then softmax(q k^T / sqrt(head_dim))), as full attention would.
at::Tensor first_layer_attention(GenobirdModelImpl& model, std::int64_t n) {
  at::NoGradGuard no_grad;
  const BigBirdConfig& c = model.config();
  const std::int64_t heads = c.num_attention_heads, head_dim = c.hidden_size / heads;
  const at::Tensor ids = at::randint(5, c.vocab_size, {1, n}, at::kLong);
  const at::Tensor x = model.bert->embeddings->forward(ids, at::zeros_like(ids));
  auto& self = model.bert->encoder->layer[0]->as<BigBirdLayerImpl>()->attention->self_attention;
  const at::Tensor q = self->query->forward(x).view({n, heads, head_dim}).transpose(0, 1);
  const at::Tensor k = self->key->forward(x).view({n, heads, head_dim}).transpose(0, 1);
  at::Tensor scores = at::matmul(q, k.transpose(1, 2)) / std::sqrt(static_cast<double>(head_dim));
  return at::softmax(scores, -1);
}

// For every query whose offset lands inside the sequence, that one key gets the most weight, and on
// average it gets at least `min_mean_weight`.
void expect_heads_on_offsets(GenobirdModelImpl& model, std::int64_t n, double min_mean_weight) {
  const at::Tensor probs = first_layer_attention(model, n);
  const at::Tensor best = probs.argmax(-1);
  for (std::int64_t h = 0; h < model.config().num_attention_heads; ++h) {
    const std::int64_t delta = local_head_offset(h);
    int misses = 0;
    double total = 0, lowest = 1;
    std::int64_t queries = 0;
    for (std::int64_t i = std::max<std::int64_t>(0, -delta); i < std::min(n, n - delta); ++i, ++queries) {
      const double weight = probs[h][i][i + delta].item<double>();
      total += weight;
      lowest = std::min(lowest, weight);
      if (best[h][i].item<std::int64_t>() != i + delta) ++misses;
    }
    EXPECT_EQ(misses, 0) << "head " << h << " (offset " << delta << "): queries whose top key is another";
    EXPECT_GE(total / static_cast<double>(queries), min_mean_weight)
        << "head " << h << " (offset " << delta << "), lowest weight " << lowest;
  }
}

TEST(LocalHeads, OffsetsAlternateAndGrow) {
  EXPECT_EQ(local_head_offset(0), -1);
  EXPECT_EQ(local_head_offset(1), 1);
  EXPECT_EQ(local_head_offset(2), -2);
  EXPECT_EQ(local_head_offset(3), 2);
  EXPECT_EQ(local_head_offset(6), -4);
}

// Heads of 32 (16 planes). With fewer planes (heads of 16 or less) a few queries in a few hundred miss:
// the LayerNorm's scale varies more from token to token when the word embeddings have fewer dimensions.
TEST(LocalHeads, EachHeadLooksAtItsNeighbour) {
  GenobirdModel model = make_model(config_with(128, 4, 512), WeightInit::kLocalHeads);
  expect_heads_on_offsets(*model, 512, 0.9);
}

// The `small` preset's shape: 4 heads of 64 over 16,384 positions, checked over the first 2,048.
TEST(LocalHeads, SmallPresetShape) {
  GenobirdModel model = make_model(config_with(256, 4, 16384), WeightInit::kLocalHeads);
  expect_heads_on_offsets(*model, 2048, 0.9);
}

// With normal weights the first layer looks everywhere: no key gets most of a query's attention.
TEST(LocalHeads, NormalWeightsDoNotLookAtNeighbours) {
  GenobirdModel model = make_model(config_with(64, 4, 512), WeightInit::kNormal);
  const at::Tensor probs = first_layer_attention(*model, 512);
  EXPECT_LT(probs.max().item<double>(), 0.1);
}

// Only the position embeddings, the position dimensions of the word embeddings and the first layer's
// query and key weights differ from the normal initialisation.
TEST(LocalHeads, EverythingElseIsNormal) {
  const BigBirdConfig config = config_with(64, 4, 512);
  GenobirdModel normal = make_model(config, WeightInit::kNormal);
  GenobirdModel local = make_model(config, WeightInit::kLocalHeads);
  const std::int64_t position_dims = 16;  // heads of 64 / 4 = 16: min(16, 64 / 2) / 2 = 8 planes of 2 dimensions
  auto local_params = local->named_parameters();
  for (const auto& item : normal->named_parameters()) {
    const std::string& name = item.key();
    const at::Tensor& a = item.value();
    const at::Tensor& b = local_params[name];
    if (name == "bert.embeddings.position_embeddings.weight" ||
        name == "bert.encoder.layer.0.attention.self.query.weight" ||
        name == "bert.encoder.layer.0.attention.self.key.weight") {
      EXPECT_FALSE(at::equal(a, b)) << name;
    } else if (name == "bert.embeddings.word_embeddings.weight" || name == "bert.embeddings.token_type_embeddings.weight") {
      EXPECT_TRUE(at::equal(a.narrow(1, position_dims, 64 - position_dims), b.narrow(1, position_dims, 64 - position_dims)));
      EXPECT_EQ(b.narrow(1, 0, position_dims).abs().max().item<double>(), 0.0);
    } else {
      EXPECT_TRUE(at::equal(a, b)) << name;
    }
  }
}

TEST(LocalHeads, ParsesItsNames) {
  EXPECT_EQ(parse_weight_init("local"), WeightInit::kLocalHeads);
  EXPECT_EQ(parse_weight_init("normal"), WeightInit::kNormal);
  EXPECT_STREQ(weight_init_name(WeightInit::kLocalHeads), "local");
  EXPECT_THROW(parse_weight_init("xavier"), UsageError);
}

}  // namespace
}  // namespace genobird::model
