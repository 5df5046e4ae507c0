#include "model/model_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "model/init.h"
#include "model/safetensors.h"
#include "scratch_dir.h"
#include "test_configs.h"
#include "util/error.h"

namespace genobird::model {
namespace {

namespace fs = std::filesystem;

std::string fresh_dir(const std::string& name) {
  fs::path dir = test::scratch_dir() / name;
  fs::remove_all(dir);
  return dir.string();
}

std::string tokenizer_file() {
  std::string path = (test::scratch_dir() / "tokenizer_for_model_dir.json").string();
  std::ofstream(path) << R"({"version": "1.0", "model": {"type": "BPE", "vocab": {"[PAD]": 0}, "merges": []}})";
  return path;
}

std::vector<HeadSpec> heads() {
  return {{"mlm", HeadKind::kMaskedLm, {}, true}, {"promoter", HeadKind::kClassification, {"promoter"}, true},
          {"chromatin", HeadKind::kClassification, {"DNase", "CTCF"}, false}};
}

GenobirdModel saved_model(const std::string& dir) {
  at::manual_seed(4);
  GenobirdModel model(tiny_test_config(), heads());
  initialize_weights(*model);
  ModelInfo info;
  info.window_bp = 8000;
  info.provenance = {{"command", "genobird model init"}};
  save_model_dir(dir, *model, info, tokenizer_file());
  return model;
}

TEST(ModelDir, SaveLoadRoundTripIsExact) {
  const std::string dir = fresh_dir("round_trip_model");
  GenobirdModel model = saved_model(dir);
  for (const char* file : {"config.json", "model.safetensors", "tokenizer.json", "genobird.json"})
    EXPECT_TRUE(fs::exists(fs::path(dir) / file)) << file;
  LoadedModel loaded = load_model_dir(dir);
  auto a = model_tensors(*model), b = model_tensors(*loaded.model);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, tensor] : a) EXPECT_TRUE(at::equal(tensor, b.at(name))) << name;
  EXPECT_EQ(hf_config_json(loaded.model->config(), loaded.model->heads()), hf_config_json(model->config(), model->heads()));
  ASSERT_EQ(loaded.model->heads().size(), 3u);
  EXPECT_EQ(loaded.model->heads()[2].labels, (std::vector<std::string>{"DNase", "CTCF"}));
  EXPECT_FALSE(loaded.model->heads()[2].multi_label);
  EXPECT_EQ(loaded.info.window_bp, 8000);
  EXPECT_EQ(loaded.info.provenance["command"], "genobird model init");
  EXPECT_FALSE(loaded.model->is_training());
  // Same outputs after loading.
  model->eval();
  at::Tensor ids = at::randint(5, 40, {1, 70}, at::kLong);
  EXPECT_TRUE(at::equal(model->classify("chromatin", model->encode(ids, {})),
                        loaded.model->classify("chromatin", loaded.model->encode(ids, {}))));
}

TEST(ModelDir, ConfigJsonHasHuggingFaceTaskKeysAndNoTiedCopy) {
  const std::string dir = fresh_dir("hf_keys_model");
  saved_model(dir);
  std::ifstream in(fs::path(dir) / "config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  EXPECT_EQ(config["model_type"], "big_bird");
  EXPECT_EQ(config["architectures"][0], "BigBirdForSequenceClassification");
  EXPECT_EQ(config["id2label"]["0"], "promoter");
  EXPECT_EQ(config["problem_type"], "multi_label_classification");
  EXPECT_EQ(config["block_size"], 8);
  SafetensorsContents weights = read_safetensors((fs::path(dir) / "model.safetensors").string());
  EXPECT_FALSE(weights.tensors.count("cls.predictions.decoder.weight"));
  EXPECT_TRUE(weights.tensors.count("bert.embeddings.word_embeddings.weight"));
  EXPECT_EQ(weights.metadata.at("format"), "pt");
}

TEST(ModelDir, MeanPoolingIsKeptAndNotOfferedToHuggingFacesClassifier) {
  const std::string dir = fresh_dir("mean_pooling_model");
  std::vector<HeadSpec> specs = heads();
  specs[1].pooling = Pooling::kMean;
  at::manual_seed(4);
  GenobirdModel model(tiny_test_config(), specs);
  initialize_weights(*model);
  save_model_dir(dir, *model, ModelInfo{}, tokenizer_file());
  LoadedModel loaded = load_model_dir(dir);
  EXPECT_EQ(loaded.model->heads()[1].pooling, Pooling::kMean);
  EXPECT_EQ(loaded.model->heads()[2].pooling, Pooling::kFirst);
  std::ifstream in(fs::path(dir) / "config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  // HuggingFace's BigBirdForSequenceClassification reads the first token, so it would score this head wrongly.
  EXPECT_EQ(config["architectures"][0], "BigBirdModel");
  EXPECT_EQ(config["classifier_pooling"], "mean");
  // Saving the loaded model again as a first-token model drops the key it no longer means.
  std::vector<HeadSpec> first = loaded.model->heads();
  first[1].pooling = Pooling::kFirst;
  nlohmann::json again = hf_config_json(loaded.model->config(), first);
  EXPECT_FALSE(again.contains("classifier_pooling"));
  EXPECT_EQ(again["architectures"][0], "BigBirdForSequenceClassification");
}

std::string load_error(const std::string& dir) {
  try {
    load_model_dir(dir);
  } catch (const ModelError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelDir, LoadNamesMissingUnexpectedAndMisshapedTensors) {
  const std::string dir = fresh_dir("mismatch_model");
  saved_model(dir);
  const std::string weights_path = (fs::path(dir) / "model.safetensors").string();
  auto tensors = read_safetensors(weights_path).tensors;
  tensors.erase("bert.encoder.layer.0.attention.self.query.weight");
  tensors["bert.encoder.layer.7.output.dense.bias"] = at::zeros({16});
  tensors["classifier.out_proj.weight"] = at::zeros({2, 16});
  write_safetensors(weights_path, tensors);
  std::string message = load_error(dir);
  EXPECT_NE(message.find("missing (1):\n    bert.encoder.layer.0.attention.self.query.weight [16, 16]"), std::string::npos)
      << message;
  EXPECT_NE(message.find("unexpected (1):\n    bert.encoder.layer.7.output.dense.bias [16]"), std::string::npos)
      << message;
  EXPECT_NE(message.find("classifier.out_proj.weight: expected [1, 16], found [2, 16]"), std::string::npos) << message;
}

TEST(ModelDir, IntegerTensorIsRejected) {
  const std::string dir = fresh_dir("dtype_model");
  saved_model(dir);
  const std::string weights_path = (fs::path(dir) / "model.safetensors").string();
  auto tensors = read_safetensors(weights_path).tensors;
  tensors["cls.predictions.bias"] = tensors["cls.predictions.bias"].to(at::kInt);
  write_safetensors(weights_path, tensors);
  EXPECT_NE(load_error(dir).find("cls.predictions.bias: expected a floating-point tensor"), std::string::npos);
}

TEST(ModelDir, BadGenobirdJsonNamesTheFile) {
  const std::string dir = fresh_dir("bad_meta_model");
  saved_model(dir);
  std::ofstream(fs::path(dir) / "genobird.json") << R"({"format_version": 1, "heads": [{"name": "x", "kind": "regression"}]})";
  std::string message = load_error(dir);
  EXPECT_NE(message.find("genobird.json"), std::string::npos) << message;
  EXPECT_NE(message.find("kind must be mlm or classification"), std::string::npos) << message;
  std::ofstream(fs::path(dir) / "genobird.json")
      << R"({"format_version": 1, "heads": [{"name": "x", "kind": "classification", "labels": ["y"], "pooling": "max"}]})";
  message = load_error(dir);
  EXPECT_NE(message.find("genobird.json"), std::string::npos) << message;
  EXPECT_NE(message.find("pooling must be cls or mean"), std::string::npos) << message;
}

// What HuggingFace's BigBirdForMaskedLM(config).state_dict() holds for this config (written out from its
// module tree, not from ours), less the decoder weight and bias that it ties to the word embeddings and to
// cls.predictions.bias. A directory written for MLM must hold exactly these, with these shapes, or
// from_pretrained reports missing or unexpected weights.
std::map<std::string, std::vector<std::int64_t>> big_bird_for_masked_lm_tensors(const BigBirdConfig& c) {
  const std::int64_t h = c.hidden_size, i = c.intermediate_size;
  std::map<std::string, std::vector<std::int64_t>> names = {
      {"bert.embeddings.word_embeddings.weight", {c.vocab_size, h}},
      {"bert.embeddings.position_embeddings.weight", {c.max_position_embeddings, h}},
      {"bert.embeddings.token_type_embeddings.weight", {c.type_vocab_size, h}},
      {"bert.embeddings.LayerNorm.weight", {h}},
      {"bert.embeddings.LayerNorm.bias", {h}},
      {"bert.pooler.weight", {h, h}},
      {"bert.pooler.bias", {h}},
      {"cls.predictions.transform.dense.weight", {h, h}},
      {"cls.predictions.transform.dense.bias", {h}},
      {"cls.predictions.transform.LayerNorm.weight", {h}},
      {"cls.predictions.transform.LayerNorm.bias", {h}},
      {"cls.predictions.bias", {c.vocab_size}}};
  for (std::int64_t n = 0; n < c.num_hidden_layers; ++n) {
    const std::string layer = "bert.encoder.layer." + std::to_string(n) + ".";
    for (const char* part : {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
      names[layer + part + ".weight"] = {h, h};
      names[layer + part + ".bias"] = {h};
    }
    for (const char* norm : {"attention.output.LayerNorm", "output.LayerNorm"}) {
      names[layer + norm + ".weight"] = {h};
      names[layer + norm + ".bias"] = {h};
    }
    names[layer + "intermediate.dense.weight"] = {i, h};
    names[layer + "intermediate.dense.bias"] = {i};
    names[layer + "output.dense.weight"] = {h, i};
    names[layer + "output.dense.bias"] = {h};
  }
  return names;
}

TEST(ModelDir, MlmDirectoryHoldsExactlyTheTensorsOfBigBirdForMaskedLM) {
  const std::string dir = fresh_dir("mlm_only_model");
  const BigBirdConfig config = tiny_test_config();
  GenobirdModel model(config, std::vector<HeadSpec>{{"mlm", HeadKind::kMaskedLm, {}, true}});
  initialize_weights(*model);
  save_model_dir(dir, *model, ModelInfo{}, tokenizer_file());
  const auto stored = read_safetensors(dir + "/model.safetensors").tensors;
  const auto expected = big_bird_for_masked_lm_tensors(config);
  for (const auto& [name, shape] : expected) {
    auto it = stored.find(name);
    ASSERT_NE(it, stored.end()) << "missing for BigBirdForMaskedLM: " << name;
    EXPECT_EQ(it->second.sizes().vec(), shape) << name;
  }
  for (const auto& [name, tensor] : stored) EXPECT_TRUE(expected.count(name)) << "unexpected for BigBirdForMaskedLM: " << name;
  std::ifstream config_file(dir + "/config.json");
  const auto json = nlohmann::json::parse(config_file);
  EXPECT_EQ(json.at("architectures"), nlohmann::json::array({"BigBirdForMaskedLM"}));
}

TEST(ModelDir, MlmDirectoryWrittenWithoutPoolerStillLoads) {
  const std::string dir = fresh_dir("mlm_without_pooler");
  GenobirdModel model(tiny_test_config(), std::vector<HeadSpec>{{"mlm", HeadKind::kMaskedLm, {}, true}});
  initialize_weights(*model);
  save_model_dir(dir, *model, ModelInfo{}, tokenizer_file());
  auto tensors = read_safetensors(dir + "/model.safetensors").tensors;
  tensors.erase("bert.pooler.weight");
  tensors.erase("bert.pooler.bias");
  write_safetensors(dir + "/model.safetensors", tensors);
  LoadedModel loaded = load_model_dir(dir);
  EXPECT_TRUE(loaded.model->bert->embeddings->word_embeddings->weight.equal(model->bert->embeddings->word_embeddings->weight));
  tensors.erase("cls.predictions.bias");
  write_safetensors(dir + "/model.safetensors", tensors);
  EXPECT_THROW(load_model_dir(dir), ModelError) << "only the pooler may be missing";
}

TEST(ModelDir, MissingDirectoryIsAnIoError) { EXPECT_THROW(load_model_dir(fresh_dir("nothing_here")), IoError); }

}  // namespace
}  // namespace genobird::model
