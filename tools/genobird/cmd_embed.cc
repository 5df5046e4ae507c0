// genobird embed: vectors of BED regions, FASTA/FASTQ records or reads from a model's encoder.
#include "command.h"
#include "infer/record_embedding.h"
#include "inference_options.h"
#include "options.h"
#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class EmbedCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    add_region_input_options(options, inputs_, "embed");
    options.add_options()("reads", po::value(&reads_),
                          "SAM/BAM/CRAM reads to embed: primary records, in their original orientation")(
        "reference", po::value(&reference_), "reference FASTA to decode CRAM (with --reads)")(
        "pool", po::value(&pool_)->default_value(pool_),
        "mean (of the real tokens' states), cls (the [CLS] state), max, or none (one row per token)")(
        "layer", po::value(&embedding_.layer)->default_value(embedding_.layer),
        "hidden states to read: 0 the embeddings, 1..L a layer's output; negative counts from the end (-1: last)")(
        "rc", po::value(&rc_)->default_value(rc_),
        "off (the sequence as given) or mean (average of both strands' pooled vectors: strand-free)")(
        "half", po::bool_switch(&layout_.half), "write float16 instead of float32 (.npy and .safetensors)");
    add_model_run_options(options, run_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Writes one vector per record (or per token with --pool none) from the encoder's hidden states.\n"
           "Default: the mean of the last layer's states of the record's tokens, [CLS], [SEP] and padding left\n"
           "out (as HuggingFace's hidden_states[-1] averaged under the attention mask, special tokens excluded).\n"
           "BED regions are embedded as they are (no resizing). A record longer than the model's positions is\n"
           "embedded whole, in overlapping windows: each token takes its state from the window whose centre is\n"
           "nearest, so every token counts once (cls: the windows' [CLS] states weighted by their tokens).\n"
           "Output by the name of -o: OUT.npy (float32, float16 with --half; OUT.tsv beside it names the rows),\n"
           "OUT.safetensors (embeddings, records, and offsets and token_spans with --pool none), else TSV\n"
           "(.gz: bgzip; - : stdout). --pool none rows are tokens, with their bp span in the record.\n"
           "Records are batched by length; a vector does not depend on --batch-size, --threads or the records\n"
           "batched with it. A record without bases is an error; --skip-invalid leaves it out (counted in the log).";
  }

  int run(const po::variables_map&) override {
    check_region_inputs(inputs_, reads_.empty() ? 0 : 1, "--genome FASTA --regions BED, --fasta FASTA or --reads BAM");
    require(reference_.empty() || !reads_.empty(), "--reference goes with --reads (it decodes CRAM)");
    require(rc_ == "off" || rc_ == "mean", "--rc must be off or mean, not \"" + rc_ + "\"");
    embedding_.pool = infer::parse_embedding_pool(pool_);
    embedding_.rc_mean = rc_ == "mean";
    c10::Device device(c10::kCPU);
    model::LoadedModel loaded = load_run_model(run_, device);
    embedding_.threads = run_.threads;
    embedding_.batch_size = run_.batch_size;
    infer::EmbeddingEngine engine(std::move(loaded), device, embedding_);

    layout_.dim = engine.dim();
    layout_.per_token = embedding_.pool == infer::EmbeddingPool::kNone;
    layout_.metadata = {{"genobird", "embed"},
                        {"model", run_.model},
                        {"pool", pool_},
                        {"layer", std::to_string(engine.layer())},
                        {"rc", rc_},
                        {"dim", std::to_string(engine.dim())}};
    infer::EmbedInputOptions input;
    input.strand = inputs_.strand;
    input.skip_invalid = inputs_.skip_invalid;
    input.shard_index = inputs_.shard_index;
    input.shard_count = inputs_.shard_count;
    input.reference = reference_;
    infer::EmbedSummary summary;
    if (inputs_.bed_input())
      summary = infer::embed_bed_regions(engine, inputs_.genome, inputs_.regions, output_, layout_, input);
    else if (!inputs_.fasta.empty())
      summary = infer::embed_fasta_records(engine, inputs_.fasta, output_, layout_, input);
    else
      summary = infer::embed_reads(engine, reads_, output_, layout_, input);

    LOG_INFO("embedded " << summary.embedded << " of " << count_noun(summary.records, "record")
                         << (input.shard_count > 1 ? " (shard " + inputs_.shard + ")" : std::string()) << ": "
                         << summary.rows << " rows of " << engine.dim() << " (layer " << engine.layer() << ", pool "
                         << pool_ << ")");
    if (summary.skipped_invalid > 0)
      LOG_WARN("skipped " << count_noun(summary.skipped_invalid, "invalid record")
                           << " (unknown chromosome, past its end or no bases)");
    if (engine.windowed_records() > 0)
      LOG_INFO(count_noun(engine.windowed_records(), "record") << " longer than the model's positions: embedded in overlapping windows");
    return 0;
  }

 private:
  RegionInputOptions inputs_;
  ModelRunOptions run_;
  infer::EmbeddingOptions embedding_;
  infer::EmbeddingLayout layout_;
  std::string reads_, reference_, output_;
  std::string pool_ = infer::embedding_pool_name(infer::EmbeddingOptions{}.pool);
  std::string rc_ = infer::EmbeddingOptions{}.rc_mean ? "mean" : "off";
};

}  // namespace

std::unique_ptr<Command> make_embed_command() { return std::make_unique<EmbedCommand>(); }

}  // namespace genobird::cli
