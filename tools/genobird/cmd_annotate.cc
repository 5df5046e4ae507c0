// genobird annotate: a signal track of the model along a genome (or BED regions of it).
#include "command.h"
#include "infer/genome_annotation.h"
#include "inference_options.h"
#include "options.h"
#include "util/log.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::cli {
namespace {

class AnnotateCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()("genome,g", po::value(&genome_)->required(), "genome FASTA (plain or bgzip; indexed if needed)")(
        "regions,r", po::value(&annotate_.regions_path), "annotate only these BED regions")(
        "step", po::value(&annotate_.step)->default_value(0), "bin length in bp; 0 uses a quarter of the window")(
        "head", po::value(&annotate_.head), "classification head to track (default: promoter, else the first)")(
        "peaks", po::value(&annotate_.peaks_path), "also write a BED of bins at or above --threshold, merged")(
        "threshold", value_with_default(&annotate_.threshold, annotate_.threshold), "peak threshold")(
        "plot", po::value(&annotate_.plot_path),
        "draw an SVG: the track, or for equal-length FASTA records the mean signal by position")(
        "skip-invalid", po::bool_switch(&annotate_.skip_invalid),
        "leave out BED regions on unknown chromosomes or past a chromosome end");
    add_inference_options(options, inference_);
    add_output_option(options, output_);
  }

  std::vector<OutputPath> outputs() const override {
    return {{"--peaks", annotate_.peaks_path}, {"--plot", annotate_.plot_path}};
  }

  std::string description() const override {
    return "Cuts each sequence (or region) into bins of --step bp and scores the window centred on each bin.\n"
           "Promoter (single-signal) heads give a bedGraph: chrom, start, end, probability. Heads with several\n"
           "labels (chromatin profiles) give a TSV with a '#chrom start end LABEL...' header. A .gz output is\n"
           "bgzip-compressed with a tabix index beside it. A .bw (.bigwig) output is bigWig, one file per label for\n"
           "multi-label heads (track.bw -> track.LABEL.bw); BED regions must then be sorted and not overlap.";
  }

  int run(const po::variables_map&) override {
    require(annotate_.threshold >= 0 && annotate_.threshold <= 1, "--threshold must be between 0 and 1");
    auto engine = make_scoring_engine(inference_);
    annotate_.window_bp = inference_.window;
    infer::AnnotateSummary summary = infer::annotate_genome(*engine, genome_, output_, annotate_);
    LOG_INFO("annotated " << count_noun(summary.sequences, annotate_.regions_path.empty() ? "sequence" : "region") << ", "
                          << count_noun(summary.bins, "bin") << ", " << si_number(summary.bp)
                          << "bp in " << summary.seconds << " s (" << si_number(summary.bp / std::max(1e-9, summary.seconds))
                          << "bp/s)" << (annotate_.peaks_path.empty() ? "" : "; peaks: " + std::to_string(summary.peaks)));
    if (summary.skipped_invalid > 0) LOG_WARN("skipped " << count_noun(summary.skipped_invalid, "invalid region"));
    if (summary.n_bins > 0)
      LOG_INFO(count_noun(summary.n_bins, "bin") << " whose window is all N (assembly gaps) left out of the track");
    if (summary.short_sequences > 0)
      LOG_WARN(count_noun(summary.short_sequences, annotate_.regions_path.empty() ? "sequence" : "region")
               << (annotate_.regions_path.empty() ? "" : " on a chromosome") << " shorter than the " << summary.window_bp
               << " bp window: scored on its own bases (as predict --fasta scores a short record)");
    if (engine->truncated_windows() > 0)
      LOG_WARN(count_noun(engine->truncated_windows(), "window") << " with more tokens than the model's positions: central tokens kept");
    return 0;
  }

 private:
  std::string genome_, output_;
  InferenceOptions inference_;
  infer::AnnotateOptions annotate_;
};

}  // namespace

std::unique_ptr<Command> make_annotate_command() { return std::make_unique<AnnotateCommand>(); }

}  // namespace genobird::cli
