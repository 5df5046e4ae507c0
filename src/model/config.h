// The shape and hyper-parameters of a BigBird encoder, stored in config.json under the keys of
// HuggingFace's BigBirdConfig, so that `BigBirdForMaskedLM.from_pretrained(dir)` reads our directories.
//
// Defaults are HuggingFace's (vocab 50358, 12 x 768, 12 heads, 3072, block_sparse, block 64, r 3).
// Keys this code does not use (e.g. "architectures", "use_cache") are kept in `extra` and written back.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace genobird::model {

struct BigBirdConfig {
  std::int64_t vocab_size = 50358;
  std::int64_t hidden_size = 768;
  std::int64_t num_hidden_layers = 12;
  std::int64_t num_attention_heads = 12;
  std::int64_t intermediate_size = 3072;
  std::string hidden_act = "gelu_new";  // gelu_new (tanh approximation), gelu (erf) or relu
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;  // used by full attention only, as in HuggingFace
  std::int64_t max_position_embeddings = 4096;
  std::int64_t type_vocab_size = 2;
  double initializer_range = 0.02;
  double layer_norm_eps = 1e-12;
  std::int64_t pad_token_id = 0;
  std::int64_t bos_token_id = 2;
  std::int64_t eos_token_id = 3;
  std::int64_t sep_token_id = 3;
  std::string attention_type = "block_sparse";  // block_sparse | original_full
  bool use_bias = true;                         // biases of the query, key and value projections
  bool rescale_embeddings = false;              // scale word embeddings by sqrt(hidden_size)
  std::int64_t block_size = 64;
  std::int64_t num_random_blocks = 3;
  double classifier_dropout = -1;  // < 0: use hidden_dropout_prob (HuggingFace's null)
  nlohmann::json extra = nlohmann::json::object();

  std::int64_t head_dim() const { return hidden_size / num_attention_heads; }
  bool block_sparse() const { return attention_type == "block_sparse"; }
  // Sequences of at most this many tokens use full attention (HuggingFace's rule: (5 + 2r) blocks).
  std::int64_t full_attention_max_tokens() const { return (5 + 2 * num_random_blocks) * block_size; }
};

// Throws ModelError naming the first invalid field, what it must be and what it is.
// Sizes beyond util/limits.h are a FormatError "value X of field Y in SOURCE is out of range (max Z)",
// raised before anything is allocated.
void validate(const BigBirdConfig& config, const std::string& source = "config.json");

// Number of parameters of the encoder and embeddings the config describes (heads left out), computed
// without overflow for any config within the limits of util/limits.h.
std::int64_t parameter_estimate(const BigBirdConfig& config);

// JSON with HuggingFace's keys (plus "model_type": "big_bird"). from_json validates; missing keys take
// the defaults above; a key of the wrong type is a ModelError naming it.
nlohmann::json to_json(const BigBirdConfig& config);
BigBirdConfig config_from_json(const nlohmann::json& json, const std::string& source = "config.json");

// Reads and validates a config.json. Errors name the file.
BigBirdConfig read_config_file(const std::string& path);

}  // namespace genobird::model
