// genobird reads: read sequences as FASTA, each in its original (sequencing) orientation.
// For SAM/BAM input without filters the output equals `samtools fasta -n -F 0x900 INPUT`: secondary and
// supplementary alignments dropped, reverse-strand reads reverse-complemented, and records grouped as
// samtools groups them: consecutive records with one name form a group, which is written as its READ1
// record, then its READ2 record, then its record with neither (or both) flags, each the first copy in file
// order that has base qualities (else the first copy).
#include "command.h"
#include "io/alignment_reader.h"
#include "io/sequence_reader.h"
#include "options.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class ReadsCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()
        ("input", po::value(&input_)->required(), "SAM, BAM, CRAM or FASTQ/FASTA (plain or gzip; '-' for stdin)")
        ("reference", po::value(&reference_), "reference FASTA for CRAM input")
        ("region", po::value(&region_), "only reads overlapping CHR or CHR:START-END (1-based; needs an index)")
        ("min-mapq", po::value(&min_mapq_)->default_value(0), "only reads with MAPQ >= N")
        ("exclude-flags", po::value(&exclude_flags_)->default_value(0x900),
         "drop reads with any of these flag bits (default 0x900: secondary, supplementary)");
    add_output_option(options, output_);
  }

  int run(const po::variables_map& vm) override {
    require(min_mapq_ >= 0 && min_mapq_ <= 255, "--min-mapq must be between 0 and 255");
    require(exclude_flags_ >= 0 && exclude_flags_ <= 0xffff, "--exclude-flags must be a 16-bit flag value");
    bool alignment = input_ != "-" && io::is_alignment_file(input_);
    bool filtered = vm.count("region") || min_mapq_ > 0 || !vm["exclude-flags"].defaulted();
    require(alignment || !filtered, "--region, --min-mapq and --exclude-flags need SAM, BAM or CRAM input");
    OutputFile out(output_);
    std::uint64_t count = alignment ? write_alignments(out) : write_sequences(out);
    out.commit();
    LOG_INFO("wrote " << count_noun(count, "read"));
    return 0;
  }

 private:
  std::uint64_t write_alignments(OutputFile& out) {
    io::AlignmentReaderOptions options;
    options.reference = reference_;
    options.region = region_;
    options.min_mapq = min_mapq_;
    options.exclude_flags = static_cast<std::uint16_t>(exclude_flags_);
    // htslib's decompression thread pool is left off: on truncated BAM input it can hang or end early
    // without reporting the error, and reading reads is not where time goes.
    options.threads = 1;
    io::AlignmentReader reader(input_, options);
    NameGroup group;
    io::ReadRecord read;
    std::uint64_t count = 0;
    while (reader.next(read)) {
      if (!group.empty() && read.name != group.name()) count += group.flush(out);
      group.add(read);
    }
    count += group.flush(out);
    return count;
  }

  // The records of one read name, by part: 0 neither or both of READ1/READ2, 1 READ1, 2 READ2.
  class NameGroup {
   public:
    bool empty() const { return name_.empty(); }
    const std::string& name() const { return name_; }
    void add(const io::ReadRecord& read) {
      name_ = read.name;
      bool first = (read.flag & 0x40) != 0;
      bool second = (read.flag & 0x80) != 0;
      int part = first == second ? 0 : (first ? 1 : 2);
      int score = read.qual.empty() ? 1 : 2;  // a copy with base qualities is preferred
      if (score > score_[part]) {
        score_[part] = score;
        best_[part] = read;
      }
    }
    std::uint64_t flush(OutputFile& out) {
      std::uint64_t written = 0;
      for (int part : {1, 2, 0}) {
        if (score_[part] == 0) continue;
        write_fasta(out, best_[part].name, best_[part].seq);
        score_[part] = 0;
        ++written;
      }
      name_.clear();
      return written;
    }

   private:
    std::string name_;
    int score_[3] = {0, 0, 0};
    io::ReadRecord best_[3];
  };

  std::uint64_t write_sequences(OutputFile& out) {
    io::SequenceReader reader(input_);
    io::SequenceRecord record;
    std::uint64_t count = 0;
    while (reader.next(record)) {
      write_fasta(out, record.name, record.seq);
      ++count;
    }
    return count;
  }

  static void write_fasta(OutputFile& out, const std::string& name, const std::string& seq) {
    out << ">" << name << "\n" << seq << "\n";
  }

  std::string input_;
  std::string reference_;
  std::string region_;
  std::string output_;
  int min_mapq_ = 0;
  int exclude_flags_ = 0x900;
};

}  // namespace

std::unique_ptr<Command> make_reads_command() { return std::make_unique<ReadsCommand>(); }

}  // namespace genobird::cli
