// VCF/BCF reading and annotated writing through htslib (vcf.h).
//
// VcfReader reads plain VCF, bgzip VCF or BCF (detected from the content, "-" is stdin). With a `region`
// ("chr", "chr:start-end", 1-based inclusive as in samtools/bcftools) the file's index is used: .tbi or
// .csi beside a bgzip VCF, .csi beside a BCF; a missing index is an InputError. Records come in file order.
// Each record knows where it came from for error messages: its line in a text VCF read whole, else its
// ordinal and position ("record 12 (chr1:1034)") because BCF and region queries have no line numbers.
//
// VcfWriter writes the records of a reader with Float INFO fields added, declared in the header as
// Number=A (one value per ALT allele; NaN values are written as missing, '.'). The output type follows the
// path: ".bcf" BCF, ".vcf.gz" / ".vcf.bgz" bgzip VCF (indexable with tabix or bcftools index), anything
// else (".vcf", "-" for stdout) plain VCF. The file appears at its path only on commit(), like OutputFile.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct bcf1_t;

namespace genobird::io {

struct VcfRecord {
  std::string chrom;
  std::uint64_t pos = 0;             // 0-based position of REF's first base
  std::string id;                    // "." when absent
  std::string ref;
  std::vector<std::string> alts;     // empty for a record without ALT ("." in the file)
  std::uint64_t ordinal = 0;         // 1-based, among the records this reader returned
  std::uint64_t line = 0;            // 1-based line in a text VCF read whole; 0 when unknown
  std::shared_ptr<bcf1_t> raw;       // the record itself, for VcfWriter

  std::uint64_t end() const { return pos + ref.size(); }
};

// True for alleles that are not a literal sequence: <DEL>, <*>, breakends (N[chr2:123[, ]chr2:123]N,
// .A, A.), the '*' of overlapping deletions, and missing '.'.
bool is_symbolic_allele(const std::string& allele);

class VcfReader {
 public:
  explicit VcfReader(const std::string& path, const std::string& region = "");
  ~VcfReader();
  VcfReader(const VcfReader&) = delete;
  VcfReader& operator=(const VcfReader&) = delete;

  bool next(VcfRecord& record);
  const std::string& path() const { return path_; }

  // An InputError "PATH:LINE: what", or "PATH: record N (chr:pos): what" where lines are unknown.
  [[noreturn]] void fail(const VcfRecord& record, const std::string& what) const;
  // "line N" or "record N (chr:pos)", for warnings.
  static std::string where(const VcfRecord& record);

 private:
  friend class VcfWriter;
  struct State;
  std::string path_;
  std::unique_ptr<State> state_;
};

struct InfoField {
  std::string id;           // e.g. GB_promoter_ALT
  std::string description;
};

class VcfWriter {
 public:
  // The header is the reader's, with `fields` appended.
  VcfWriter(const std::string& path, const VcfReader& source, const std::vector<InfoField>& fields);
  ~VcfWriter();
  VcfWriter(const VcfWriter&) = delete;
  VcfWriter& operator=(const VcfWriter&) = delete;

  // values[f] holds field f's value per ALT allele (record.alts.size() values; NaN: missing), or is empty
  // to leave the field out of this record.
  void write(const VcfRecord& record, const std::vector<std::vector<float>>& values);
  void commit();

 private:
  struct State;
  std::string path_;
  std::unique_ptr<State> state_;
};

// True for paths VcfWriter handles: .vcf, .vcf.gz, .vcf.bgz, .bcf.
bool is_vcf_path(const std::string& path);

}  // namespace genobird::io
