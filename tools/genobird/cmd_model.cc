// genobird model init | model info: create a freshly initialised model directory, describe one.
#include <ATen/ATen.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "command.h"
#include "model/config.h"
#include "model/init.h"
#include "model/model_dir.h"
#include "options.h"
#include "presets.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

namespace fs = std::filesystem;

std::int64_t parameter_count(model::GenobirdModelImpl& model) {
  std::int64_t count = 0;
  for (const auto& p : model.parameters()) count += p.numel();
  return count;
}

class ModelInitCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()("preset", po::value(&preset_), "model preset: tiny, small, base (models/NAME.json) or a path")(
        "config", po::value(&config_), "a config.json with HuggingFace BigBirdConfig keys")(
        "tokenizer", po::value(&tokenizer_)->required(), "tokenizer.json; sets vocab_size and is copied into DIR")(
        "out", po::value(&out_)->required(), "model directory to create");
    add_seed_option(options, seed_);
    add_init_option(options, init_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--out", out_, true}}; }

  std::string description() const override {
    return "Writes config.json, model.safetensors (HuggingFace BigBird tensor names, MLM head), tokenizer.json and\n"
           "genobird.json. Weights are initialised as HuggingFace does: normal(0, initializer_range), zero biases,\n"
           "LayerNorm 1/0; with --init local (the default) the position embeddings then hold sinusoids and the first\n"
           "layer's heads start on the tokens at offsets -1, +1, -2, +2, ... vocab_size and the special token ids come\n"
           "from the tokenizer.";
  }

  int run(const po::variables_map&) override {
    require(preset_.empty() != config_.empty(), "give exactly one of --preset NAME and --config config.json");
    const std::string config_path = preset_.empty() ? config_ : resolve_preset(preset_);
    model::BigBirdConfig config = model::read_config_file(config_path);
    tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(tokenizer_);
    config.vocab_size = static_cast<std::int64_t>(tokenizer.vocab_size());
    use_tokenizer_special_ids(config);
    model::validate(config, config_path);
    if (fs::exists(fs::path(out_) / "model.safetensors"))
      throw UsageError("--out " + out_ + " already holds a model; choose another directory");

    at::manual_seed(seed_);
    const std::vector<model::HeadSpec> heads = {{"mlm", model::HeadKind::kMaskedLm, {}, true}};
    model::GenobirdModel model(config, heads);
    model::initialize_weights(*model, model::parse_weight_init(init_));
    model::ModelInfo info;
    info.provenance = {{"created_by", "genobird model init"},
                       {"config", preset_.empty() ? config_ : "preset " + preset_},
                       {"seed", seed_},
                       {"init", init_},
                       {"tokenizer", tokenizer_}};
    model::save_model_dir(out_, *model, info, tokenizer_);
    LOG_INFO("wrote " << out_ << ": " << count_noun(config.num_hidden_layers, "layer") << " x " << config.hidden_size << ", "
                      << parameter_count(*model) << " parameters, vocabulary " << config.vocab_size);
    return 0;
  }

 private:
  std::string preset_, config_, tokenizer_, out_, init_;
  unsigned long seed_ = 42;
};

class ModelInfoCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description& positional) override {
    options.add_options()("model", po::value(&dir_)->required(), "model directory");
    positional.add("model", 1);
  }

  std::string description() const override {
    return "Prints, as KEY<TAB>VALUE lines on stdout: shape, attention, parameter count, heads, tokenizer and\n"
           "provenance of a model directory.";
  }

  int run(const po::variables_map&) override {
    model::LoadedModel loaded = model::load_model_dir(dir_);
    const model::BigBirdConfig& c = loaded.model->config();
    tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(loaded.tokenizer_path);
    std::ostringstream out;
    out << "model\t" << dir_ << "\n";
    out << "shape\t" << c.num_hidden_layers << " layers x hidden " << c.hidden_size << ", " << c.num_attention_heads
        << " heads, intermediate " << c.intermediate_size << ", " << c.hidden_act << "\n";
    out << "attention\t" << c.attention_type;
    if (c.block_sparse())
      out << " (block " << c.block_size << ", " << c.num_random_blocks << " random blocks; full attention up to "
          << c.full_attention_max_tokens() << " tokens)";
    out << "\n";
    out << "max_position_embeddings\t" << c.max_position_embeddings << "\n";
    out << "vocab_size\t" << c.vocab_size << "\n";
    out << "parameters\t" << parameter_count(*loaded.model) << "\n";
    out << "tokenizer\t" << loaded.tokenizer_path << " (" << tokenizer.vocab_size() << " tokens)\n";
    for (const auto& head : loaded.model->heads()) {
      out << "head\t" << head.name << "\t";
      if (head.kind == model::HeadKind::kMaskedLm) {
        out << "mlm\n";
      } else {
        out << "classification\t" << count_noun(head.labels.size(), "label") << "\t"
            << (head.multi_label ? "multi_label" : "single_label") << "\tpooling " << model::pooling_name(head.pooling)
            << "\n";
      }
    }
    out << "window_bp\t" << loaded.info.window_bp << "\n";
    out << "provenance\t" << loaded.info.provenance.dump() << "\n";
    std::cout << out.str();
    return 0;
  }

 private:
  std::string dir_;
};

}  // namespace

std::unique_ptr<Command> make_model_init_command() { return std::make_unique<ModelInitCommand>(); }
std::unique_ptr<Command> make_model_info_command() { return std::make_unique<ModelInfoCommand>(); }

}  // namespace genobird::cli
