// genobird predict: probabilities of the model's heads for BED regions of a genome or FASTA records.
#include <iostream>

#include "command.h"
#include "infer/region_scoring.h"
#include "inference_options.h"
#include "options.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class PredictCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()("genome,g", po::value(&genome_), "genome FASTA (plain or bgzip; indexed if needed)")(
        "regions,r", po::value(&regions_), "BED regions to score (with --genome)")(
        "fasta,f", po::value(&fasta_), "FASTA records to score, each as one window (instead of --genome/--regions)")(
        "strand,s", po::bool_switch(&predict_.strand), "reverse-complement regions on the minus strand (BED column 6)")(
        "skip-invalid", po::bool_switch(&predict_.skip_invalid),
        "leave out regions on chromosomes the genome lacks or past a chromosome end (counted in the log)")(
        "shard", po::value(&shard_), "score only regions k with k % N == I (I/N, 0-based), for scatter/gather");
    add_inference_options(options, inference_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Writes a TSV with a header: for BED input the region's columns, one column per head output\n"
           "(probabilities, named by the labels in genobird.json) and padded_bp (N added where the window runs off\n"
           "a chromosome end); for FASTA input the record name and the outputs. Regions are resized around their\n"
           "centre to the model's window (--window to override). Rows keep the input order whatever --threads is.";
  }

  int run(const po::variables_map&) override {
    const bool bed_input = !genome_.empty() || !regions_.empty();
    require(bed_input != !fasta_.empty(), "give either --genome FASTA --regions BED, or --fasta FASTA");
    if (bed_input) require(!genome_.empty() && !regions_.empty(), "--genome and --regions go together");
    if (!shard_.empty()) parse_shard(shard_, predict_.shard_index, predict_.shard_count);
    auto engine = make_scoring_engine(inference_);
    predict_.window_bp = inference_.window;
    OutputFile out(output_);
    infer::PredictSummary summary =
        bed_input ? infer::predict_bed_regions(*engine, genome_, regions_, out, predict_)
                  : infer::predict_fasta_records(*engine, fasta_, out, predict_);
    out.commit();
    LOG_INFO("scored " << summary.scored << " of " << count_noun(summary.regions, bed_input ? "region" : "record")
                       << (predict_.shard_count > 1 ? " (shard " + shard_ + ")" : std::string()));
    if (summary.skipped_invalid > 0)
      LOG_WARN("skipped " << count_noun(summary.skipped_invalid, "invalid region") << " (unknown chromosome or past its end)");
    if (summary.padded > 0) LOG_INFO(count_noun(summary.padded, "window") << " ran off a chromosome end: padded with N");
    if (summary.cropped > 0) LOG_INFO(count_noun(summary.cropped, "record") << " longer than the window: the centre scored");
    if (engine->truncated_windows() > 0)
      LOG_WARN(count_noun(engine->truncated_windows(), "window") << " with more tokens than the model's positions: central tokens kept");
    return 0;
  }

 private:
  std::string genome_, regions_, fasta_, shard_, output_;
  InferenceOptions inference_;
  infer::PredictOptions predict_;
};

}  // namespace

std::unique_ptr<Command> make_predict_command() { return std::make_unique<PredictCommand>(); }

}  // namespace genobird::cli
