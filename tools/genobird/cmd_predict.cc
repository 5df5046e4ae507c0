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
    add_region_input_options(options, inputs_, "score");
    add_inference_options(options, inference_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Writes a TSV with a header: for BED input the region's columns, one column per head output\n"
           "(probabilities, named by the labels in genobird.json) and padded_bp (N added where the window runs off\n"
           "a chromosome end); for FASTA input the record name, the outputs and scored_bp (the bases scored: the\n"
           "window's centre of a longer record, all of a shorter one, which is never padded). Regions are resized\n"
           "around their centre to the model's window (--window to override). A window without a single A, C, G or\n"
           "T (an assembly gap) gets NA, not a score. Rows keep the input order whatever --threads is.";
  }

  int run(const po::variables_map&) override {
    check_region_inputs(inputs_, 0, "--genome FASTA --regions BED, or --fasta FASTA");
    const bool bed_input = inputs_.bed_input();
    predict_.strand = inputs_.strand;
    predict_.skip_invalid = inputs_.skip_invalid;
    predict_.shard_index = inputs_.shard_index;
    predict_.shard_count = inputs_.shard_count;
    auto engine = make_scoring_engine(inference_);
    predict_.window_bp = inference_.window;
    OutputFile out(output_);
    infer::PredictSummary summary =
        bed_input ? infer::predict_bed_regions(*engine, inputs_.genome, inputs_.regions, out, predict_)
                  : infer::predict_fasta_records(*engine, inputs_.fasta, out, predict_);
    out.commit();
    LOG_INFO("scored " << summary.scored << " of " << count_noun(summary.regions, bed_input ? "region" : "record")
                       << (predict_.shard_count > 1 ? " (shard " + inputs_.shard + ")" : std::string()));
    if (summary.skipped_invalid > 0)
      LOG_WARN("skipped " << count_noun(summary.skipped_invalid, "invalid region") << " (unknown chromosome or past its end)");
    if (summary.padded > 0) LOG_INFO(count_noun(summary.padded, "window") << " ran off a chromosome end: padded with N");
    if (summary.cropped > 0) LOG_INFO(count_noun(summary.cropped, "record") << " longer than the window: the centre scored");
    if (summary.short_records > 0)
      LOG_WARN(count_noun(summary.short_records, "record") << " shorter than the window: scored on its own bases (see scored_bp)");
    if (summary.gaps > 0) LOG_WARN(count_noun(summary.gaps, "window") << " all N: written as NA");
    if (engine->truncated_windows() > 0)
      LOG_WARN(count_noun(engine->truncated_windows(), "window") << " with more tokens than the model's positions: central tokens kept");
    return 0;
  }

 private:
  RegionInputOptions inputs_;
  std::string output_;
  InferenceOptions inference_;
  infer::PredictOptions predict_;
};

}  // namespace

std::unique_ptr<Command> make_predict_command() { return std::make_unique<PredictCommand>(); }

}  // namespace genobird::cli
