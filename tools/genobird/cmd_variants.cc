// genobird variants: the model's probabilities with the reference and with each ALT allele of a VCF/BCF.
#include "command.h"
#include "infer/variant_scoring.h"
#include "inference_options.h"
#include "options.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class VariantsCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()("genome,g", po::value(&genome_)->required(), "genome FASTA (plain or bgzip; indexed if needed)")(
        "vcf", po::value(&vcf_)->required(), "variants: VCF, bgzip VCF or BCF (\"-\" is stdin)")(
        "region", po::value(&variants_.region), "only records in CHR[:START-END] (1-based; needs a .tbi/.csi index)")(
        "skip-invalid", po::bool_switch(&variants_.skip_invalid),
        "warn about and leave out records whose REF differs from the genome or whose chromosome it lacks")(
        "shard", po::value(&shard_), "score only records k with k % N == I (I/N, 0-based), for scatter/gather");
    add_inference_options(options, inference_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Scores, for each ALT allele, the window centred on the variant with the reference and with the\n"
           "alternate allele (an indel's window keeps the model's length: bases flow in or out at both ends).\n"
           "Per head label: ref and alt probability, alt - ref and the log odds ratio (probabilities clamped to\n"
           "[1e-6, 1-1e-6]). Output by suffix: .vcf, .vcf.gz or .bcf give the input records with INFO fields\n"
           "GB_<LABEL>_REF/_ALT/_DIFF/_LOR (Number=A); otherwise a TSV with one row per ALT, in input order.\n"
           "Symbolic and structural alleles are skipped and counted.";
  }

  int run(const po::variables_map&) override {
    if (!shard_.empty()) parse_shard(shard_, variants_.shard_index, variants_.shard_count);
    auto engine = make_scoring_engine(inference_);
    variants_.window_bp = inference_.window;
    infer::VariantSummary summary = infer::score_variants(*engine, genome_, vcf_, output_, variants_);
    LOG_INFO("scored " << count_noun(summary.scored_alleles, "ALT allele") << " of "
                       << count_noun(summary.scored_records, "record") << " (" << summary.records << " read" << (variants_.shard_count > 1 ? ", shard " + shard_ : std::string())
                       << "; " << count_noun(summary.windows, "window") << ")");
    if (summary.skipped_symbolic > 0)
      LOG_WARN("skipped " << count_noun(summary.skipped_symbolic, "symbolic or structural ALT allele")
                           << " (not sequences)");
    if (summary.skipped_invalid > 0)
      LOG_WARN("skipped " << count_noun(summary.skipped_invalid, "invalid record")
                           << " (REF mismatch or unknown chromosome)");
    if (summary.padded > 0) LOG_INFO(count_noun(summary.padded, "window") << " ran off a chromosome end and "
                                                << (summary.padded == 1 ? "was" : "were") << " padded with N");
    if (engine->truncated_windows() > 0)
      LOG_WARN(count_noun(engine->truncated_windows(), "window") << " with more tokens than the model's positions: central tokens kept");
    return 0;
  }

 private:
  std::string genome_, vcf_, shard_, output_;
  InferenceOptions inference_;
  infer::VariantOptions variants_;
};

}  // namespace

std::unique_ptr<Command> make_variants_command() { return std::make_unique<VariantsCommand>(); }

}  // namespace genobird::cli
