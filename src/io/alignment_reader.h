// SAM/BAM/CRAM reader (htslib).
//
// Reads all records, or those overlapping a region ("chr", "chr:start-end" 1-based inclusive as in
// samtools; needs an index: .bai/.csi/.crai), keeping those that pass the flag and MAPQ filters.
// Reverse-strand reads are restored to their original orientation (sequence reverse-complemented,
// quality reversed), as `samtools fasta` does. CRAM input needs the reference FASTA unless the CRAM
// header's reference can be found. With --reference, every @SQ must be in it with its length, and a record
// htslib cannot decode is reported as a reference MD5 mismatch when that is the cause. A record whose SEQ
// is '*' is an error. Errors: InputError naming the file and the record number.
// Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <string>

namespace genobird::io {

struct AlignmentReaderOptions {
  std::string reference;               // FASTA for CRAM decoding (optional otherwise)
  std::string region;                  // "" reads the whole file in file order
  int min_mapq = 0;                    // keep reads with MAPQ >= min_mapq
  std::uint16_t exclude_flags = 0x900; // drop reads with any of these flag bits (default: secondary, supplementary)
  std::uint16_t require_flags = 0;     // keep only reads with all of these bits
  bool original_orientation = true;    // undo the reverse complement of reverse-strand reads
  int threads = 1;                     // htslib decompression threads
};

struct ReadRecord {
  std::string name;
  std::string seq;   // "" when the record stores no sequence ('*')
  std::string qual;  // Phred+33; "" when absent
  std::uint16_t flag = 0;
  std::uint8_t mapq = 0;
  std::string chrom;   // "" when unmapped without position
  std::int64_t pos = -1;  // 0-based leftmost position, -1 when none
  std::uint64_t record = 0;  // 1-based record number in the file (or in the region)
};

class AlignmentReader {
 public:
  AlignmentReader(const std::string& path, AlignmentReaderOptions options = {});
  ~AlignmentReader();
  AlignmentReader(const AlignmentReader&) = delete;
  AlignmentReader& operator=(const AlignmentReader&) = delete;

  // Next record that passes the filters; false at the end.
  bool next(ReadRecord& read);
  const std::string& path() const { return path_; }

 private:
  void close() noexcept;
  void check_cram_reference() const;
  void explain_cram_failure() const;

  std::string path_;
  AlignmentReaderOptions options_;
  void* file_ = nullptr;    // samFile*
  void* header_ = nullptr;  // sam_hdr_t*
  void* index_ = nullptr;   // hts_idx_t*
  void* iter_ = nullptr;    // hts_itr_t*
  void* record_ = nullptr;  // bam1_t*
  std::uint64_t count_ = 0;
};

// True if the path looks like SAM/BAM/CRAM by content (htslib format detection), false for FASTA/FASTQ.
bool is_alignment_file(const std::string& path);

}  // namespace genobird::io
