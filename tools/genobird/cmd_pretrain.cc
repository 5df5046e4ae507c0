// genobird pretrain: masked-language-model pretraining on genome FASTAs (src/train/pretrainer.h).
#include <ATen/Parallel.h>

#include <fstream>
#include <sstream>

#include "command.h"
#include "model/config.h"
#include "options.h"
#include "presets.h"
#include "tokenizer/tokenizer.h"
#include "train/pretrainer.h"

namespace genobird::cli {
namespace {

// The command line as it was typed, for the provenance in genobird.json.
std::string own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string line;
  std::istringstream parts(raw);
  for (std::string word; std::getline(parts, word, '\0');) line += (line.empty() ? "" : " ") + word;
  return line;
}

class PretrainCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    const train::PretrainOptions d;
    const std::string warmup_help = "warm-up steps; -1: " + std::to_string(train::kPretrainWarmupPercent) + "% of --steps";
    options.add_options()
        ("genome", po::value(&o_.genomes)->multitoken(), "training genome FASTA files (plain or bgzip)")
        ("reads", po::value(&o_.reads)->multitoken(),
         "training reads: SAM/BAM/CRAM (primary records) or FASTQ/FASTA; reads shorter than a window are not used")
        ("reference", po::value(&o_.reads_reference), "reference FASTA for CRAM --reads")
        ("tokenizer", po::value(&o_.tokenizer_path)->required(), "tokenizer.json; sets the vocabulary size of a --preset, must match a --config's")
        ("preset", po::value(&preset_), "model preset: tiny, small, base (models/NAME.json) or a path")
        ("config", po::value(&config_), "a config.json with HuggingFace BigBirdConfig keys")
        ("out", po::value(&o_.out_dir)->required(), "run and model directory to write")
        ("steps", po::value(&o_.steps)->default_value(d.steps), "optimizer steps")
        ("batch-size", po::value(&o_.batch_size)->default_value(d.batch_size), "windows per micro-batch, per rank")
        ("grad-accum", po::value(&o_.grad_accum)->default_value(d.grad_accum), "micro-batches per optimizer step")
        ("seq-len", po::value(&o_.seq_len)->default_value(d.seq_len), "tokens per window, [CLS] and [SEP] included")
        ("lr", value_with_default(&o_.optimizer.lr, d.optimizer.lr), "peak learning rate (AdamW)")
        ("warmup", po::value(&o_.warmup_steps)->default_value(d.warmup_steps), warmup_help.c_str())
        ("decay", po::value(&decay_)->default_value("linear"), "learning-rate decay after warm-up: linear or cosine")
        ("weight-decay", value_with_default(&o_.optimizer.weight_decay, d.optimizer.weight_decay),
         "AdamW weight decay (not on biases and LayerNorm)")
        ("max-grad-norm", value_with_default(&o_.optimizer.max_grad_norm, d.optimizer.max_grad_norm),
         "clip gradients to this global L2 norm; 0: no clipping")
        ("checkpoint-every", po::value(&o_.checkpoint_every)->default_value(d.checkpoint_every),
         "write a checkpoint every N steps (0: only at the end)")
        ("keep-checkpoints", po::value(&o_.keep_checkpoints)->default_value(d.keep_checkpoints), "checkpoints kept")
        ("resume", po::bool_switch(&o_.resume), "continue from the newest checkpoint in --out")
        ("valid-genome", po::value(&o_.valid_genomes)->multitoken(), "held-out genome FASTA files for validation")
        ("valid-chrom", po::value(&o_.valid_chroms)->multitoken(),
         "sequences of the training genomes held out for validation (never trained on)")
        ("valid-every", po::value(&o_.valid_every)->default_value(d.valid_every),
         "validate every N steps (0: with each checkpoint and at the end)")
        ("valid-windows", po::value(&o_.valid_windows)->default_value(d.valid_windows), "validation windows")
        ("log-every", po::value(&o_.log_every)->default_value(d.log_every), "metrics.tsv row every N steps")
        ("max-n-fraction", value_with_default(&o_.max_n_fraction, d.max_n_fraction),
         "redraw windows with a larger fraction of N / ambiguous bases")
        ("data-workers", po::value(&o_.data_workers)->default_value(d.data_workers),
         "threads reading, tokenizing and masking windows");
    add_threads_option(options, threads_);
    add_device_option(options, o_.device);
    add_seed_option(options, seed_);
    add_init_option(options, init_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--out", o_.out_dir, true}}; }

  std::string description() const override {
    return "Samples random windows of the genomes (and of reads long enough) on both strands, tokenizes them to --seq-len tokens and masks\n"
           "15% (80% [MASK], 10% random, 10% kept). Writes --out as a model directory (config.json,\n"
           "model.safetensors, tokenizer.json, genobird.json) with metrics.tsv and checkpoints/. Under torchrun,\n"
           "srun or RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT it runs data-parallel; --batch-size is per rank.";
  }

  int run(const po::variables_map&) override {
    require(preset_.empty() != config_.empty(), "give exactly one of --preset NAME and --config config.json");
    const int threads = resolve_threads(threads_);
    at::set_num_threads(threads);
    o_.decay = train::parse_lr_decay(decay_);
    o_.seed = seed_;
    o_.init = model::parse_weight_init(init_);
    o_.config_source = preset_.empty() ? config_ : "preset " + preset_;
    o_.config = model::read_config_file(preset_.empty() ? config_ : resolve_preset(preset_));
    // A preset is a shape: its vocabulary is the tokenizer's, as for model init and finetune --preset. A
    // --config is taken as written, and pretrain refuses a tokenizer of another size.
    if (!preset_.empty())
      o_.config.vocab_size = static_cast<std::int64_t>(tokenizer::Tokenizer::load(o_.tokenizer_path).vocab_size());
    use_tokenizer_special_ids(o_.config);
    o_.command_line = own_command_line();
    train::pretrain(o_);
    return 0;
  }

 private:
  train::PretrainOptions o_;
  std::string preset_, config_, decay_, init_;
  int threads_ = 0;
  unsigned long seed_ = 42;
};

}  // namespace

std::unique_ptr<Command> make_pretrain_command() { return std::make_unique<PretrainCommand>(); }

}  // namespace genobird::cli
