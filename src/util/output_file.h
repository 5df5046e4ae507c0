// Atomic output files.
//
// An OutputFile writes to a temporary file beside PATH ("PATH.tmp.XXXXXX") and renames it onto PATH in
// commit(). If the object is destroyed without commit() (an exception, an early return) the temporary is
// removed, so a failed run leaves no file at PATH and does not damage an existing one.
//   - PATH "-" (or empty) writes to stdout; commit() then only flushes.
//   - PATH ending in ".gz" is written bgzip-compressed (htslib BGZF), which gzip, zcat, tabix and
//     samtools faidx all read.
// Writes are buffered. Not thread-safe: one writer per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace genobird {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view data);
  void write(const char* data, std::size_t size) { write(std::string_view(data, size)); }
  OutputFile& operator<<(std::string_view data) {
    write(data);
    return *this;
  }
  OutputFile& operator<<(char c) {
    write(std::string_view(&c, 1));
    return *this;
  }

  // Flushes, closes and renames the temporary onto the final path. Throws IoError on failure (and then
  // removes the temporary). Calling it twice is an error.
  void commit();

  const std::string& path() const { return path_; }
  bool is_stdout() const { return to_stdout_; }
  bool is_bgzf() const { return bgzf_ != nullptr; }

 private:
  void flush_buffer();
  void discard() noexcept;

  std::string path_;
  std::string temp_path_;
  bool to_stdout_ = false;
  bool committed_ = false;
  int fd_ = -1;
  void* bgzf_ = nullptr;  // BGZF*, kept opaque so htslib stays out of this header.
  std::string buffer_;
};

// True if `path` names bgzip output (".gz" suffix).
bool is_gz_path(const std::string& path);

}  // namespace genobird
