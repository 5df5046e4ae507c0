// Line-by-line reading of plain, gzip or bgzip text (zlib detects which), or stdin for "-".
//
// Lines are returned without their "\n" or "\r\n". Counts lines (1-based) for error messages. A NUL byte
// or a truncated/corrupt gzip stream is an InputError naming the file and line. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genobird::io {

class LineReader {
 public:
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line into `line`; returns false at the end of the input.
  bool next(std::string& line);
  // Line number of the line last returned by next().
  std::uint64_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();

  std::string path_;
  void* gz_ = nullptr;  // gzFile, opaque so zlib stays out of this header
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
};

}  // namespace genobird::io
