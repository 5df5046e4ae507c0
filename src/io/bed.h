// BED reader: BED3 to BED12, extra columns kept.
//
// Lines starting with "track", "browser" or '#', and blank lines, are skipped. Columns are tab-separated
// (as in bedtools; a line without tabs is split on runs of spaces). Validation errors are InputError with
// file and line: fewer than 3 columns, a start/end that is not a non-negative integer, start > end, a
// strand other than '+', '-' or '.'. Streaming, not thread-safe; read_bed() loads a whole file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace genobird::io {

class LineReader;

struct BedRecord {
  std::string chrom;
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  std::vector<std::string> fields;  // every column as read, chrom/start/end included
  std::uint64_t line = 0;           // 1-based line number in the file

  bool has_name() const { return fields.size() >= 4; }
  const std::string& name() const;  // column 4; "" if absent
  char strand() const;              // column 6: '+', '-' or '.' ('.' if absent)
  std::uint64_t length() const { return end - start; }
};

class BedReader {
 public:
  explicit BedReader(const std::string& path);  // "-" is stdin; plain or gzip/bgzip
  ~BedReader();
  BedReader(const BedReader&) = delete;
  BedReader& operator=(const BedReader&) = delete;

  bool next(BedRecord& record);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<LineReader> source_;
};

std::vector<BedRecord> read_bed(const std::string& path);

}  // namespace genobird::io
