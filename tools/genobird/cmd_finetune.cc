// genobird finetune promoter | chromatin: add (or retrain) a classification head on a labelled dataset.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <filesystem>
#include <optional>
#include <sstream>

#include "command.h"
#include "model/config.h"
#include "model/device.h"
#include "model/init.h"
#include "model/model_dir.h"
#include "options.h"
#include "presets.h"
#include "tokenizer/tokenizer.h"
#include "train/finetune.h"
#include "train/labelled_data.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

namespace fs = std::filesystem;

// The model to train: the heads of the starting model with `head` added, or its labels or pooling replaced,
// and every tensor of the starting model that still fits copied in (a replaced head starts afresh). Without
// `pooling`, an existing head keeps its own and a new head gets HuggingFace's (the first token). Fresh weights
// are initialised as `init` says.
model::GenobirdModel model_with_head(const model::BigBirdConfig& config, std::vector<model::HeadSpec> heads,
                                     model::GenobirdModelImpl* start, const std::string& head,
                                     const std::vector<std::string>& labels, std::optional<model::Pooling> pooling,
                                     model::WeightInit init) {
  bool replaced = false, found = false;
  for (auto& spec : heads) {
    if (spec.name != head) continue;
    found = true;
    if (spec.kind != model::HeadKind::kClassification)
      throw UsageError("head '" + head + "' of the model is not a classification head");
    const model::Pooling wanted = pooling.value_or(spec.pooling);
    replaced = spec.labels != labels || spec.pooling != wanted;
    spec.labels = labels;
    spec.multi_label = true;
    spec.pooling = wanted;
  }
  if (!found) heads.push_back({head, model::HeadKind::kClassification, labels, true, pooling.value_or(model::Pooling::kFirst)});
  model::GenobirdModel model(config, heads);
  model::initialize_weights(*model, init);
  if (start == nullptr) return model;
  std::size_t index = 0;
  for (const auto& spec : heads) {
    if (spec.name == head) break;
    if (spec.kind == model::HeadKind::kClassification) ++index;
  }
  const std::string head_prefix = model::classifier_prefix(index, head) + ".";
  std::map<std::string, at::Tensor> tensors = model::model_tensors(*model);
  std::size_t copied = 0;
  for (auto& [name, tensor] : model::model_tensors(*start)) {
    auto it = tensors.find(name);
    if (it == tensors.end() || !it->second.sizes().equals(tensor.sizes())) continue;
    if (replaced && name.rfind(head_prefix, 0) == 0) continue;
    it->second = tensor;
    ++copied;
  }
  model::load_model_tensors(*model, tensors, "the starting model");
  LOG_INFO((found ? (replaced ? "replacing" : "retraining") : "adding")
           << " head '" << head << "' (" << count_noun(labels.size(), "label") << "); " << count_noun(copied, "tensor")
           << " taken from the starting model");
  return model;
}

class FinetuneCommand : public Command {
 public:
  explicit FinetuneCommand(std::string task) : task_(std::move(task)) {
    options_.head = task_;
    if (task_ == "chromatin") {
      options_.positive_weight = 8.0;  // BigBird's weighting of chromatin positives
      options_.batch_size = 16;
    }
  }

  void add_options(po::options_description& options, po::positional_options_description&) override {
    const train::FinetuneOptions& d = options_;
    const std::string warmup_help =
        "linear warm-up steps; -1: " + std::to_string(train::kFinetuneWarmupPercent) + "% of --steps";
    options.add_options()("model", po::value(&model_), "starting model directory (its other heads are kept)")(
        "preset", po::value(&preset_), "train from scratch: a preset (tiny, small, base) or config JSON")(
        "tokenizer", po::value(&tokenizer_), "tokenizer.json for --preset")(
        "train", po::value(&train_)->required(), "training data: a make-dataset file or a DeepSEA .mat")(
        "valid", po::value(&valid_)->required(), "validation data (early stopping)")(
        "out", po::value(&out_)->required(), "model directory to write (may be --model itself)")(
        "head", po::value(&options_.head)->default_value(d.head), "name of the head")(
        "head-only", po::bool_switch(&options_.head_only), "train the head alone, the backbone frozen")(
        "pooling", po::value(&pooling_),
        "what the head reads: cls (the first token, as HuggingFace) or mean (of all tokens); default: the "
        "existing head's, else cls")(
        "steps", po::value(&options_.max_steps)->default_value(d.max_steps), "maximum optimizer steps")(
        "batch-size", po::value(&options_.batch_size)->default_value(d.batch_size), "examples per step")(
        "lr", value_with_default(&options_.lr, d.lr), "peak learning rate (AdamW)")(
        "warmup", po::value(&options_.warmup_steps)->default_value(d.warmup_steps), warmup_help.c_str())(
        "weight-decay", value_with_default(&options_.weight_decay, d.weight_decay), "AdamW weight decay")(
        "positive-weight", value_with_default(&options_.positive_weight, d.positive_weight),
        "weight of positive labels in the loss")(
        "eval-every", po::value(&options_.eval_every)->default_value(d.eval_every), "steps between validation rounds")(
        "patience", po::value(&options_.patience)->default_value(d.patience),
        "validation rounds without improvement before stopping")(
        "max-tokens", po::value(&options_.max_tokens)->default_value(0),
        "cut longer inputs to their central tokens; 0: the model's positions")(
        "no-rc-augment", po::bool_switch(&no_rc_augment_), "do not train on random reverse complements")(
        "resume", po::bool_switch(&options_.resume), "continue from the newest checkpoint in OUT");
    add_threads_option(options, threads_);
    add_device_option(options, device_);
    add_seed_option(options, seed_);
    add_init_option(options, init_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--out", out_, true}}; }

  std::string description() const override {
    return "Binary cross-entropy per label (positives weighted by --positive-weight), AdamW with warm-up and linear\n"
           "decay, early stopping on the validation mean AUROC; the best weights are kept. Writes OUT with the head\n"
           "and its label names in genobird.json, other heads kept; checkpoints in OUT/checkpoints-HEAD, the\n"
           "training log in OUT/finetune-HEAD.tsv.";
  }

  int run(const po::variables_map&) override {
    require(model_.empty() != preset_.empty(), "give exactly one of --model DIR and --preset NAME");
    require(preset_.empty() || !tokenizer_.empty(), "--preset needs --tokenizer tokenizer.json");
    require(!options_.head.empty(), "--head must not be empty");
    train::check_finetune_options(options_);
    std::optional<model::Pooling> pooling;
    try {
      if (!pooling_.empty()) pooling = model::parse_pooling(pooling_);
    } catch (const ModelError& e) {
      throw UsageError(std::string("--") + e.what());
    }
    options_.threads = resolve_threads(threads_);
    at::set_num_threads(options_.threads);
    options_.reverse_complement_augment = !no_rc_augment_;
    options_.seed = seed_;
    const c10::Device device = model::resolve_device(device_);

    train::LabelledDataset train_set = train::read_dataset(train_);
    train::LabelledDataset valid_set = train::read_dataset(valid_);
    if (!train_set.task.empty() && train_set.task != task_)
      LOG_WARN(train_ << " was made for task '" << train_set.task << "', fine-tuning a " << task_ << " head on it");
    if (valid_set.label_names != train_set.label_names)
      throw InputError(valid_, 2, "its labels differ from those of " + train_);

    // --init shapes a model trained from scratch; a starting model brings its own weights, and a new head
    // on it starts from normal ones.
    const model::WeightInit init = model::parse_weight_init(init_);
    at::manual_seed(seed_);
    std::string tokenizer_path = tokenizer_;
    model::ModelInfo info;
    model::GenobirdModel model{nullptr};
    if (!model_.empty()) {
      model::LoadedModel start = model::load_model_dir(model_);
      tokenizer_path = start.tokenizer_path;
      info = start.info;
      model = model_with_head(start.model->config(), start.model->heads(), start.model.get(), options_.head,
                              train_set.label_names, pooling, model::WeightInit::kNormal);
    } else {
      model::BigBirdConfig config = model::read_config_file(resolve_preset(preset_));
      tokenizer::Tokenizer t = tokenizer::Tokenizer::load(tokenizer_);
      config.vocab_size = static_cast<std::int64_t>(t.vocab_size());
      use_tokenizer_special_ids(config);
      model::validate(config, resolve_preset(preset_));
      model = model_with_head(config, {}, nullptr, options_.head, train_set.label_names, pooling, init);
    }
    tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(tokenizer_path);
    fs::create_directories(out_);
    options_.checkpoint_dir = (fs::path(out_) / ("checkpoints-" + options_.head)).string();
    options_.log_path = (fs::path(out_) / ("finetune-" + options_.head + ".tsv")).string();

    train::FinetuneResult result = train::finetune_head(*model, tokenizer, train_set, valid_set, options_, device);

    std::int64_t window = 0;
    for (const auto& e : train_set.examples) window = std::max<std::int64_t>(window, static_cast<std::int64_t>(e.sequence.size()));
    info.window_bp = window;
    info.provenance["finetune_" + options_.head] = {
        {"train", train_}, {"valid", valid_}, {"start", model_.empty() ? "preset " + preset_ : model_},
        {"head_only", options_.head_only}, {"positive_weight", options_.positive_weight}, {"lr", options_.lr},
        {"batch_size", options_.batch_size}, {"steps", result.steps}, {"best_step", result.best_step},
        {"best_valid_mean_auroc", result.best_valid_auroc}, {"stopped_early", result.stopped_early},
        {"train_examples", result.train_examples}, {"seed", seed_}};
    if (model_.empty()) info.provenance["finetune_" + options_.head]["init"] = init_;
    model->to(at::kCPU);
    model::save_model_dir(out_, *model, info, tokenizer_path);
    LOG_INFO("wrote " << out_ << ": head '" << options_.head << "', best validation mean AUROC "
                      << result.best_valid_auroc << " at step " << result.best_step << " of " << result.steps);
    return 0;
  }

 private:
  std::string task_;
  std::string model_, preset_, tokenizer_, train_, valid_, out_, device_, init_, pooling_;
  train::FinetuneOptions options_;
  bool no_rc_augment_ = false;
  int threads_ = 0;
  unsigned long seed_ = 42;
};

}  // namespace

std::unique_ptr<Command> make_finetune_promoter_command() { return std::make_unique<FinetuneCommand>("promoter"); }
std::unique_ptr<Command> make_finetune_chromatin_command() { return std::make_unique<FinetuneCommand>("chromatin"); }

}  // namespace genobird::cli
