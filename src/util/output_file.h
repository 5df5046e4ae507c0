// Output files that never lie.
//
// An OutputFile writes one of three kinds of destination, chosen by PATH:
//   - "-" (or empty): stdout. commit() only flushes.
//   - an existing file that is not a regular file (a device such as /dev/null, a named pipe, a
//     process substitution's /dev/fd/N): written directly, as `cat > PATH` would. Replacing such a node
//     with a regular file would be wrong, so there is nothing to be atomic about; write errors
//     (/dev/full) still fail the run.
//   - anything else (a new or existing regular file, or a symbolic link to one, whose target is then
//     replaced): written to a temporary file beside it ("NAME.tmp.XXXXXX") and renamed onto PATH in
//     commit(). If the object is destroyed without commit() (an exception, an early return), or the run
//     is interrupted by SIGINT/SIGTERM/SIGHUP (util/interrupt_cleanup.h), the temporary is removed, so a
//     failed run leaves no file at PATH and does not damage an existing one.
// A PATH ending in ".gz" is written bgzip-compressed (htslib BGZF), which gzip, zcat, tabix and samtools
// faidx all read. An index that belongs to the file (a tabix ".tbi") is built on the temporary in commit()
// and both are renamed into place together, index first: a run never leaves a .gz without its index.
//
// Writes are buffered. On stdout to a terminal or pipe, commit_chunk() also flushes, so a reader such as
// `| head -1` sees each chunk of results as soon as it is written. A write to a pipe whose reader has gone
// throws BrokenPipe. Not thread-safe: one writer per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "util/error.h"

namespace genobird {

// A write to a pipe whose reader has gone (`genobird ... | head`). Not a failure of the run: the dispatcher
// ends quietly with 141, the status a shell shows for a process ended by SIGPIPE.
class BrokenPipe : public IoError {
 public:
  explicit BrokenPipe(const std::string& what) : IoError(what) {}
};

// Builds an index of the finished file at `data_path`, writing it to `data_path + suffix`. Throws on failure.
struct CompanionIndex {
  std::string suffix;  // ".tbi"
  std::function<void(const std::string& data_path)> build;
};

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

  // Marks the end of a chunk of results: flushed at once when the output is a terminal or a pipe.
  void commit_chunk();

  // Asks commit() to build `index` on the finished file and move it into place with it. Only for a
  // regular file written atomically; ignored (nothing to index) for stdout, devices and pipes.
  void set_companion_index(CompanionIndex index);

  // Flushes, closes and renames the temporary (and its index) onto the final path. Throws IoError on
  // failure (and then removes the temporary). Calling it twice is an error.
  void commit();

  const std::string& path() const { return path_; }
  bool is_stdout() const { return kind_ == Kind::kStdout; }
  // True when the output is written through a temporary and renamed (a regular file).
  bool is_atomic() const { return kind_ == Kind::kAtomic; }
  bool is_bgzf() const { return bgzf_ != nullptr; }

 private:
  enum class Kind { kStdout, kDirect, kAtomic };
  void open_atomic();
  void flush_buffer();
  void discard() noexcept;
  void close_stream();

  std::string path_;         // as given, for messages
  std::string final_path_;   // where the file goes (a symbolic link's target)
  std::string temp_path_;
  Kind kind_ = Kind::kAtomic;
  bool interactive_ = false;  // a terminal or pipe: flush per chunk
  bool committed_ = false;
  int fd_ = -1;
  void* bgzf_ = nullptr;  // BGZF*, kept opaque so htslib stays out of this header.
  std::string buffer_;
  CompanionIndex index_;
};

// True if `path` names bgzip output (".gz" suffix).
bool is_gz_path(const std::string& path);

// Checks, before any work starts, that an output file can be written at `path`: its folder exists and is
// writable, and `path` is not a folder. stdout ("-"), devices and pipes always pass. Throws IoError naming
// `what` (e.g. "--peaks") and the reason.
void check_output_path(const std::string& path, const std::string& what);

// The same for an output folder that will be created (or written into): its parent must exist and be
// writable, or the folder must exist and be writable.
void check_output_folder(const std::string& path, const std::string& what);

}  // namespace genobird
