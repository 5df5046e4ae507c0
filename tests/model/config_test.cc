#include "model/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "scratch_dir.h"
#include "util/error.h"

namespace genobird::model {
namespace {

TEST(Config, DefaultsAreHuggingFaces) {
  BigBirdConfig c = config_from_json(nlohmann::json::object());
  EXPECT_EQ(c.vocab_size, 50358);
  EXPECT_EQ(c.hidden_size, 768);
  EXPECT_EQ(c.attention_type, "block_sparse");
  EXPECT_EQ(c.full_attention_max_tokens(), 704);
}

TEST(Config, JsonRoundTripKeepsUnknownKeys) {
  nlohmann::json json = {{"hidden_size", 64}, {"num_attention_heads", 4}, {"architectures", {"BigBirdForMaskedLM"}},
                         {"classifier_dropout", nullptr}};
  BigBirdConfig c = config_from_json(json);
  nlohmann::json back = to_json(c);
  EXPECT_EQ(back["hidden_size"], 64);
  EXPECT_EQ(back["architectures"], json["architectures"]);
  EXPECT_EQ(back["model_type"], "big_bird");
  EXPECT_TRUE(back["classifier_dropout"].is_null());
  EXPECT_EQ(to_json(config_from_json(back)), back);
}

TEST(Config, ValidationNamesTheField) {
  auto message_of = [](nlohmann::json json) {
    try {
      config_from_json(json);
    } catch (const ModelError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of({{"hidden_size", 100}, {"num_attention_heads", 12}}).find("hidden_size must be a multiple"),
            std::string::npos);
  EXPECT_NE(message_of({{"attention_type", "sparse"}}).find("attention_type must be block_sparse or original_full"),
            std::string::npos);
  EXPECT_NE(message_of({{"hidden_act", "swish"}}).find("hidden_act"), std::string::npos);
  EXPECT_NE(message_of({{"block_size", 0}}).find("block_size"), std::string::npos);
  EXPECT_NE(message_of({{"vocab_size", "big"}}).find("\"vocab_size\" has the wrong type"), std::string::npos);
  EXPECT_NE(message_of({{"model_type", "bert"}}).find("model_type"), std::string::npos);
  EXPECT_NE(message_of({{"hidden_dropout_prob", 1.5}}).find("hidden_dropout_prob"), std::string::npos);
}

// Sizes beyond util/limits.h are refused before any allocation, naming the value, field, file and limit.
TEST(Config, SizesBeyondTheLimitsAreOutOfRange) {
  auto message_of = [](nlohmann::json json) {
    try {
      config_from_json(json, "dir/config.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of({{"max_position_embeddings", 1e12}}),
            "value 1000000000000 of field max_position_embeddings in dir/config.json is out of range (max 1048576)");
  EXPECT_EQ(message_of({{"vocab_size", 4000000}}),
            "value 4000000 of field vocab_size in dir/config.json is out of range (max 1000000)");
  EXPECT_EQ(message_of({{"num_hidden_layers", 100000}}),
            "value 100000 of field num_hidden_layers in dir/config.json is out of range (max 256)");
  EXPECT_EQ(message_of({{"max_position_embeddings", 512}, {"block_size", 64}, {"num_random_blocks", 4}}),
            "value 4 of field num_random_blocks in dir/config.json is out of range (max 3)");
  EXPECT_NE(message_of({{"hidden_size", 16384}, {"num_hidden_layers", 256}}).find("field parameter count"),
            std::string::npos);
  EXPECT_NE(message_of({{"vocab_size", 1e300}}).find("\"vocab_size\" has the wrong type"), std::string::npos);
  EXPECT_NE(message_of({{"vocab_size", 2.5}}).find("\"vocab_size\" has the wrong type"), std::string::npos);
  EXPECT_NE(message_of({{"vocab_size", std::numeric_limits<std::uint64_t>::max()}}).find("wrong type"), std::string::npos);
  // At the limits, accepted.
  EXPECT_EQ(message_of({{"max_position_embeddings", 1048576}, {"vocab_size", 1000}, {"hidden_size", 64},
                        {"num_attention_heads", 4}, {"intermediate_size", 128}}),
            "no error");
  EXPECT_EQ(message_of({{"max_position_embeddings", 512}, {"block_size", 64}, {"num_random_blocks", 3}}), "no error");
}

TEST(Config, PresetsParseAndSmallMatchesTheMeasuredPeerShape) {
  // tests/data -> the repository's models/ folder
  const std::string models =
      (std::filesystem::path(GENOBIRD_TEST_DATA).parent_path().parent_path() / "models").string() + "/";
  for (const char* name : {"tiny", "small", "base"}) EXPECT_NO_THROW(read_config_file(models + name + ".json")) << name;
  BigBirdConfig small = read_config_file(models + "small.json");
  EXPECT_EQ(small.num_hidden_layers, 4);
  EXPECT_EQ(small.hidden_size, 256);
  EXPECT_EQ(small.num_attention_heads, 4);
  EXPECT_EQ(small.intermediate_size, 1024);
  EXPECT_EQ(small.block_size, 64);
  EXPECT_EQ(small.num_random_blocks, 3);
  EXPECT_EQ(small.max_position_embeddings, 16384);
  BigBirdConfig base = read_config_file(models + "base.json");
  EXPECT_EQ(base.num_hidden_layers, 12);
  EXPECT_EQ(base.hidden_size, 768);
  EXPECT_EQ(base.max_position_embeddings, 4096);
}

TEST(Config, FileErrorsNameTheFile) {
  const std::string path = (test::scratch_dir() / "bad_config.json").string();
  std::ofstream(path) << "{not json";
  EXPECT_THROW(read_config_file(path), InputError);
  std::ofstream(path) << R"({"num_hidden_layers": -1})";
  try {
    read_config_file(path);
    FAIL() << "expected an error";
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

}  // namespace
}  // namespace genobird::model
