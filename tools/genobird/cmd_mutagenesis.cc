// genobird mutagenesis: every base of a region changed to the 3 others and scored (saturation mutagenesis).
#include <iomanip>

#include "command.h"
#include "infer/mutagenesis.h"
#include "inference_options.h"
#include "options.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class MutagenesisCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()("genome,g", po::value(&genome_), "genome FASTA (plain or bgzip; indexed if needed)")(
        "fasta,f", po::value(&fasta_), "a FASTA of one record to mutate whole (instead of --genome and --region)")(
        "region", po::value(&options_.region), "CHR:START-END (1-based, inclusive) or CHR; required with --genome")(
        "head", po::value(&options_.head),
        "output column to plot: a label (or HEAD.LABEL), or a head (default: promoter, else the first)")(
        "plot", po::value(&options_.plot_path), "also draw an SVG heat map of the differences, under the sequence");
    add_inference_options(options, inference_);
    add_output_option(options, output_);
  }

  std::vector<OutputPath> outputs() const override { return {{"--plot", options_.plot_path}}; }

  std::string description() const override {
    return "Changes every A/C/G/T of the region to each of the 3 other bases and scores it as `genobird variants`\n"
           "scores that SNV. Writes a TSV: chrom, pos, ref, alt and per head label the ref and alt probability,\n"
           "alt - ref and the log odds ratio. --plot draws the alt - ref of one label as a heat map (positions x\n"
           "bases) under the sequence letters, scaled by minus the mean effect per position.";
  }

  int run(const po::variables_map&) override {
    require(genome_.empty() != fasta_.empty(), "give either --genome FASTA --region CHR:START-END, or --fasta FASTA");
    if (!genome_.empty()) require(!options_.region.empty(), "--genome needs --region CHR:START-END");
    auto engine = make_scoring_engine(inference_);
    options_.window_bp = inference_.window;
    infer::MutagenesisSummary summary =
        infer::saturation_mutagenesis(*engine, genome_.empty() ? fasta_ : genome_, output_, options_);
    LOG_INFO("scored " << count_noun(summary.substitutions, "substitution") << " of " << summary.chrom << ":"
                       << summary.start + 1 << "-" << summary.end << " (" << count_noun(summary.windows, "window")
                       << ") in " << std::fixed << std::setprecision(1) << summary.seconds << " s");
    if (summary.skipped_positions > 0)
      LOG_WARN(count_noun(summary.skipped_positions, "position") << " with a base other than A/C/G/T "
                                                            << (summary.skipped_positions == 1 ? "was" : "were") << " left out");
    if (engine->truncated_windows() > 0)
      LOG_WARN(count_noun(engine->truncated_windows(), "window") << " with more tokens than the model's positions: central tokens kept");
    return 0;
  }

 private:
  std::string genome_, fasta_, output_;
  InferenceOptions inference_;
  infer::MutagenesisOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_mutagenesis_command() { return std::make_unique<MutagenesisCommand>(); }

}  // namespace genobird::cli
