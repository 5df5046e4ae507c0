// Random access to a FASTA genome through htslib's faidx.
//
// Plain (uncompressed) files are memory-mapped and read through the .fai offsets directly, which avoids a
// copy and an allocation per fetch; bgzip files go through htslib's faidx. Opening builds the .fai index (and the .gzi index of a bgzip file) when it is missing and the folder is
// writable. Coordinates are 0-based half-open. A faidx handle is not thread-safe: open one IndexedFasta
// per thread (opening only reads the index, so this is cheap).
// The index of a plain file is checked against the file when opened: a FASTA edited after indexing is
// refused (delete the .fai to rebuild it), and so is a repeated sequence name (as samtools faidx does), or
// a NUL byte in a header or a fetched sequence.
// Errors: InputError for a missing/unreadable/unindexable file (plain gzip cannot be indexed: the
// message says to bgzip it), an unknown sequence name, or coordinates outside the sequence.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace genobird::io {

// True for a gzip file that is not bgzip (faidx cannot index it; io/indexable_fasta.h reads it through a copy).
bool is_plain_gzip(const std::string& path);

class IndexedFasta {
 public:
  explicit IndexedFasta(const std::string& path);
  ~IndexedFasta();
  IndexedFasta(const IndexedFasta&) = delete;
  IndexedFasta& operator=(const IndexedFasta&) = delete;

  // Bases [start, end) of sequence `name`, as stored (case kept). Requires start <= end <= length.
  std::string fetch(const std::string& name, std::uint64_t start, std::uint64_t end) const;
  // Like fetch, but appends into `out` (cleared first), reusing its capacity.
  void fetch_into(const std::string& name, std::uint64_t start, std::uint64_t end, std::string& out) const;

  bool contains(const std::string& name) const;
  std::uint64_t length(const std::string& name) const;  // throws for an unknown name
  const std::vector<std::string>& names() const { return names_; }  // in file order
  const std::string& path() const { return path_; }

 private:
  // One line of the .fai index.
  struct Entry {
    std::uint64_t length = 0;
    std::uint64_t offset = 0;      // byte offset of the first base
    std::uint64_t line_bases = 0;  // bases per line
    std::uint64_t line_bytes = 0;  // bytes per line, newline included
  };
  const Entry& entry(const std::string& name) const;
  void load_fai_entries();
  void check_index_matches_file() const;
  void release() noexcept;
  template <typename Duplicate>
  std::uint64_t skip_empty_records(std::uint64_t position, std::uint64_t limit,
                                   std::unordered_map<std::string, std::uint64_t>& header_at,
                                   const Duplicate& duplicate) const;
  std::uint64_t line_of(std::uint64_t offset) const;  // 1-based line of a byte of the mapped file

  std::string path_;
  void* fai_ = nullptr;  // faidx_t*, opaque so htslib stays out of this header
  std::vector<std::string> names_;
  std::unordered_map<std::string, Entry> entries_;
  const char* mapped_ = nullptr;  // whole file, for plain FASTA
  std::uint64_t mapped_size_ = 0;
};

}  // namespace genobird::io
