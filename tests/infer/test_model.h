// A small model directory for the inference tests: a BPE tokenizer trained on the lambda genome, the tiny
// test shape (full attention up to 56 tokens, block-sparse beyond), randomly initialised, with an MLM head,
// a one-label "promoter" head and a three-label "chromatin" head, window 200 bp.
#pragma once

#include <ATen/ATen.h>

#include <filesystem>
#include <string>

#include "io/sequence_reader.h"
#include "model/init.h"
#include "model/model_dir.h"
#include "scratch_dir.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenizer.h"

namespace genobird::infer::testing {

inline std::string lambda_path() { return std::string(GENOBIRD_TEST_DATA) + "/lambda_virus.fa"; }

// Writes the model directory into `dir` (created if needed). tests/data/infer_model is this, written by
// `GENOBIRD_WRITE_FIXTURE=tests/data/infer_model test_infer --gtest_filter=TestModel.*` (see model_fixture_test.cc).
inline void write_test_model_dir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  tokenizer::BpeTrainerOptions trainer;
  trainer.vocab_size = 64;
  trainer.show_progress = false;
  const auto records = io::read_sequences(lambda_path());
  tokenizer::Tokenizer tok(tokenizer::train_bpe({records.front().seq}, trainer));
  const std::string tokenizer_path = (dir / "source_tokenizer.json").string();
  tok.save(tokenizer_path);

  model::BigBirdConfig config;
  config.vocab_size = static_cast<std::int64_t>(tok.vocab_size());
  config.hidden_size = 16;
  config.num_hidden_layers = 2;
  config.num_attention_heads = 2;
  config.intermediate_size = 32;
  config.max_position_embeddings = 256;
  config.block_size = 8;
  config.num_random_blocks = 1;
  config.pad_token_id = tokenizer::kPadId;
  at::manual_seed(7);
  const std::vector<model::HeadSpec> heads = {{"mlm", model::HeadKind::kMaskedLm, {}, true},
                                              {"promoter", model::HeadKind::kClassification, {"promoter"}, true},
                                              {"chromatin", model::HeadKind::kClassification, {"dnase", "ctcf", "h3k4me3"}, true}};
  model::GenobirdModel m(config, heads);
  model::initialize_weights(*m);
  // Random classifier weights at the default scale give probabilities near 0.5 everywhere; a larger scale
  // makes sequence differences show in the outputs, which the tests compare.
  for (auto& p : m->named_parameters())
    if (p.key().find("classifier") != std::string::npos && p.key().find("weight") != std::string::npos)
      p.value().data().normal_(0, 1.0);
  model::ModelInfo info;
  info.window_bp = 200;
  info.provenance = {{"created_by", "tests/infer/test_model.h (random weights, for tests only)"}};
  model::save_model_dir(dir.string(), *m, info, tokenizer_path);
  fs::remove(tokenizer_path);
}

// A per-process copy, written once into the scratch folder and removed with it when the process ends.
inline std::string make_test_model_dir() {
  static const std::string dir = [] {
    const std::filesystem::path path = test::scratch_dir() / "infer_model";
    write_test_model_dir(path);
    return path.string();
  }();
  return dir;
}

// The test model with its weights scaled from the initializer's 0.02 to about 0.5: attention becomes sharp
// and the outputs differ from window to window, so a changed attention pattern (block layout, padding)
// shows in the scores and hidden states.
inline model::LoadedModel load_sharpened_test_model() {
  model::LoadedModel loaded = model::load_model_dir(make_test_model_dir());
  at::NoGradGuard no_grad;
  for (auto& p : loaded.model->named_parameters())
    if (p.value().dim() == 2 && p.key().find("classifier") == std::string::npos) p.value().mul_(25.0);
  return loaded;
}

}  // namespace genobird::infer::testing
