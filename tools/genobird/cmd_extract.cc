// genobird extract: the sequences of BED regions, byte-identical to `bedtools getfasta` (2.30):
//   header ">chrom:start-end", or ">name::chrom:start-end" with --name; with --strand the header ends in
//   "(+)", "(-)", "(.)" or "()" (the BED's strand column, empty when there is none) and "-" regions are
//   reverse-complemented (case kept). Regions of length 0, beyond the end of their sequence or on a
//   sequence the genome lacks are skipped with a warning, as bedtools does.
#include "command.h"
#include "io/bed.h"
#include "io/indexed_fasta.h"
#include "io/sequence.h"
#include "options.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::cli {
namespace {

class ExtractCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()
        ("genome", po::value(&genome_)->required(), "genome FASTA (plain or bgzip; .fai built when missing)")
        ("regions", po::value(&regions_)->required(), "BED file of regions ('-' for stdin)")
        ("strand", po::bool_switch(&strand_), "reverse-complement regions on the '-' strand (column 6)")
        ("name", po::bool_switch(&name_), "start headers with the BED name (column 4)");
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Output is byte-identical to `bedtools getfasta -fi FASTA -bed BED [-s] [-name]`.";
  }

  int run(const po::variables_map&) override {
    io::IndexedFasta genome(genome_);
    io::BedReader bed(regions_);
    OutputFile out(output_);
    io::BedRecord region;
    std::string seq;
    std::string header;
    std::uint64_t written = 0;
    std::uint64_t skipped = 0;
    Progress progress("region", "regions");
    while (bed.next(region)) {
      progress.add(1);
      if (!genome.contains(region.chrom)) {
        LOG_WARN(bed.path() << ":" << region.line << ": sequence '" << region.chrom
                            << "' is not in the genome; skipping");
        ++skipped;
        continue;
      }
      if (region.start == region.end || region.end > genome.length(region.chrom)) {
        LOG_WARN(bed.path() << ":" << region.line << ": " << region.chrom << ":" << region.start << "-"
                            << region.end << (region.start == region.end ? " is empty" : " runs past the end of the sequence")
                            << "; skipping");
        ++skipped;
        continue;
      }
      genome.fetch_into(region.chrom, region.start, region.end, seq);
      header.assign(">");
      if (name_) header.append(region.name()).append("::");
      header.append(region.chrom).append(":").append(std::to_string(region.start)).append("-").append(
          std::to_string(region.end));
      if (strand_) {
        const std::string strand = region.fields.size() >= 6 ? region.fields[5] : "";
        header.append("(").append(strand).append(")");
        if (strand == "-") io::reverse_complement_inplace(seq);
      }
      header.push_back('\n');
      out.write(header);
      out.write(seq);
      out.write("\n");
      ++written;
    }
    out.commit();
    progress.finish();
    LOG_INFO("wrote " << count_noun(written, "sequence") << (skipped ? ", skipped " + std::to_string(skipped) : ""));
    return 0;
  }

 private:
  std::string genome_;
  std::string regions_;
  std::string output_;
  bool strand_ = false;
  bool name_ = false;
};

}  // namespace

std::unique_ptr<Command> make_extract_command() { return std::make_unique<ExtractCommand>(); }

}  // namespace genobird::cli
