#include "model/config.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <fstream>
#include <sstream>

#include "util/error.h"
#include "util/limits.h"

namespace genobird::model {
namespace {

void check(bool ok, const std::string& field, const std::string& requirement, const std::string& found) {
  if (!ok) throw ModelError("config: " + field + " must be " + requirement + ", found " + found);
}

void check_positive(std::int64_t value, const std::string& field) {
  check(value > 0, field, "a positive integer", std::to_string(value));
}

void check_probability(double value, const std::string& field) {
  check(value >= 0 && value < 1, field, "in [0, 1)", std::to_string(value));
}

template <typename T>
void read_key(const nlohmann::json& json, const char* key, T& value) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    // An integer field takes a JSON integer, or a float with an integral value that fits (1e12 as
    // written by some tools); anything else would be truncated or overflow in the conversion.
    const bool fits = it->is_number_integer()
                          ? !(it->is_number_unsigned() &&
                               it->template get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
                          : it->is_number_float() && std::fabs(it->template get<double>()) < 4e18 &&
                                std::floor(it->template get<double>()) == it->template get<double>();
    if (!fits)
      throw ModelError(std::string("config: key \"") + key + "\" has the wrong type: " + it->dump() +
                       "; expected an integer");
  }
  try {
    value = it->get<T>();
  } catch (const nlohmann::json::exception&) {
    throw ModelError(std::string("config: key \"") + key + "\" has the wrong type: " + it->dump());
  }
}

// Keys owned by BigBirdConfig; everything else goes to `extra`.
const char* const kKnownKeys[] = {
    "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "hidden_act",
    "hidden_dropout_prob", "attention_probs_dropout_prob", "max_position_embeddings", "type_vocab_size",
    "initializer_range", "layer_norm_eps", "pad_token_id", "bos_token_id", "eos_token_id", "sep_token_id",
    "attention_type", "use_bias", "rescale_embeddings", "block_size", "num_random_blocks", "classifier_dropout",
    "model_type"};

}  // namespace

void validate(const BigBirdConfig& c, const std::string& source) {
  check_positive(c.vocab_size, "vocab_size");
  check_positive(c.hidden_size, "hidden_size");
  check_positive(c.num_hidden_layers, "num_hidden_layers");
  check_positive(c.num_attention_heads, "num_attention_heads");
  check_positive(c.intermediate_size, "intermediate_size");
  check(c.hidden_act == "gelu_new" || c.hidden_act == "gelu" || c.hidden_act == "relu", "hidden_act",
        "gelu_new, gelu or relu", "\"" + c.hidden_act + "\"");
  check_probability(c.hidden_dropout_prob, "hidden_dropout_prob");
  check_probability(c.attention_probs_dropout_prob, "attention_probs_dropout_prob");
  check(c.classifier_dropout < 1, "classifier_dropout", "below 1 (or null)", std::to_string(c.classifier_dropout));
  check_positive(c.max_position_embeddings, "max_position_embeddings");
  check_positive(c.type_vocab_size, "type_vocab_size");
  check(c.initializer_range > 0, "initializer_range", "positive", std::to_string(c.initializer_range));
  check(c.layer_norm_eps > 0, "layer_norm_eps", "positive", std::to_string(c.layer_norm_eps));
  check(c.pad_token_id >= 0 && c.pad_token_id < c.vocab_size, "pad_token_id",
        "in [0, vocab_size = " + std::to_string(c.vocab_size) + ")", std::to_string(c.pad_token_id));
  check(c.attention_type == "block_sparse" || c.attention_type == "original_full", "attention_type",
        "block_sparse or original_full", "\"" + c.attention_type + "\"");
  check_positive(c.block_size, "block_size");
  // Sizes before any product of them is formed or anything is allocated.
  using namespace limits;
  check_range(c.vocab_size, 1, kMaxVocabSize, "vocab_size", source);
  check_range(c.hidden_size, 1, kMaxHiddenSize, "hidden_size", source);
  check_range(c.num_hidden_layers, 1, kMaxLayers, "num_hidden_layers", source);
  check_range(c.num_attention_heads, 1, kMaxAttentionHeads, "num_attention_heads", source);
  check_range(c.intermediate_size, 1, kMaxIntermediateSize, "intermediate_size", source);
  check_range(c.max_position_embeddings, 1, kMaxPositionEmbeddings, "max_position_embeddings", source);
  check_range(c.type_vocab_size, 1, kMaxTypeVocabSize, "type_vocab_size", source);
  check_range(c.block_size, 1, kMaxBlockSize, "block_size", source);
  check_range(parameter_estimate(c), 0, kMaxParameters,
              "parameter count (from vocab_size, hidden_size, num_hidden_layers, intermediate_size, "
              "max_position_embeddings)",
              source);
  check(c.hidden_size % c.num_attention_heads == 0, "hidden_size",
        "a multiple of num_attention_heads (" + std::to_string(c.num_attention_heads) + ")",
        std::to_string(c.hidden_size));
  check(c.num_random_blocks >= 0, "num_random_blocks", "0 or more", std::to_string(c.num_random_blocks));
  if (c.block_sparse()) {
    check(c.max_position_embeddings % c.block_size == 0, "max_position_embeddings",
          "a multiple of block_size (" + std::to_string(c.block_size) + ") for block_sparse attention",
          std::to_string(c.max_position_embeddings));
    // Random blocks are drawn among the blocks outside the sliding window (3) and the global ones (2).
    const std::int64_t blocks = c.max_position_embeddings / c.block_size;
    check_range(c.num_random_blocks, 0, std::max<std::int64_t>(0, blocks - 5), "num_random_blocks", source);
  }
}

std::int64_t parameter_estimate(const BigBirdConfig& c) {
  // Every factor is bounded by the limits above, so no product overflows 64 bits.
  const std::int64_t h = c.hidden_size;
  const std::int64_t per_layer = 4 * h * h + 2 * h * c.intermediate_size + 9 * h + c.intermediate_size;
  return c.num_hidden_layers * per_layer + (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h;
}

nlohmann::json to_json(const BigBirdConfig& c) {
  nlohmann::json json = c.extra;
  json["model_type"] = "big_bird";
  json["vocab_size"] = c.vocab_size;
  json["hidden_size"] = c.hidden_size;
  json["num_hidden_layers"] = c.num_hidden_layers;
  json["num_attention_heads"] = c.num_attention_heads;
  json["intermediate_size"] = c.intermediate_size;
  json["hidden_act"] = c.hidden_act;
  json["hidden_dropout_prob"] = c.hidden_dropout_prob;
  json["attention_probs_dropout_prob"] = c.attention_probs_dropout_prob;
  json["max_position_embeddings"] = c.max_position_embeddings;
  json["type_vocab_size"] = c.type_vocab_size;
  json["initializer_range"] = c.initializer_range;
  json["layer_norm_eps"] = c.layer_norm_eps;
  json["pad_token_id"] = c.pad_token_id;
  json["bos_token_id"] = c.bos_token_id;
  json["eos_token_id"] = c.eos_token_id;
  json["sep_token_id"] = c.sep_token_id;
  json["attention_type"] = c.attention_type;
  json["use_bias"] = c.use_bias;
  json["rescale_embeddings"] = c.rescale_embeddings;
  json["block_size"] = c.block_size;
  json["num_random_blocks"] = c.num_random_blocks;
  if (c.classifier_dropout < 0)
    json["classifier_dropout"] = nullptr;
  else
    json["classifier_dropout"] = c.classifier_dropout;
  return json;
}

BigBirdConfig config_from_json(const nlohmann::json& json, const std::string& source) {
  if (!json.is_object()) throw ModelError("config: expected a JSON object, found " + std::string(json.type_name()));
  BigBirdConfig c;
  read_key(json, "vocab_size", c.vocab_size);
  read_key(json, "hidden_size", c.hidden_size);
  read_key(json, "num_hidden_layers", c.num_hidden_layers);
  read_key(json, "num_attention_heads", c.num_attention_heads);
  read_key(json, "intermediate_size", c.intermediate_size);
  read_key(json, "hidden_act", c.hidden_act);
  read_key(json, "hidden_dropout_prob", c.hidden_dropout_prob);
  read_key(json, "attention_probs_dropout_prob", c.attention_probs_dropout_prob);
  read_key(json, "max_position_embeddings", c.max_position_embeddings);
  read_key(json, "type_vocab_size", c.type_vocab_size);
  read_key(json, "initializer_range", c.initializer_range);
  read_key(json, "layer_norm_eps", c.layer_norm_eps);
  read_key(json, "pad_token_id", c.pad_token_id);
  read_key(json, "bos_token_id", c.bos_token_id);
  read_key(json, "eos_token_id", c.eos_token_id);
  read_key(json, "sep_token_id", c.sep_token_id);
  read_key(json, "attention_type", c.attention_type);
  read_key(json, "use_bias", c.use_bias);
  read_key(json, "rescale_embeddings", c.rescale_embeddings);
  read_key(json, "block_size", c.block_size);
  read_key(json, "num_random_blocks", c.num_random_blocks);
  read_key(json, "classifier_dropout", c.classifier_dropout);
  auto model_type = json.find("model_type");
  if (model_type != json.end() && *model_type != "big_bird")
    throw ModelError("config: model_type must be \"big_bird\", found " + model_type->dump());
  for (auto it = json.begin(); it != json.end(); ++it) {
    bool known = false;
    for (const char* key : kKnownKeys) known = known || it.key() == key;
    if (!known) c.extra[it.key()] = it.value();
  }
  validate(c, source);
  return c;
}

BigBirdConfig read_config_file(const std::string& path) {
  limits::checked_file_size(path, limits::kMaxJsonBytes, "config.json");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(with_errno("cannot open " + path));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, "not valid JSON: " + json_error_text(e.what()));
  }
  try {
    return config_from_json(json, path);
  } catch (const ModelError& e) {
    throw ModelError(path + ": " + e.what());
  }
}

}  // namespace genobird::model
