// A FASTA genome that random access (indexed_fasta.h) can read, whatever its compression: plain and bgzip
// files are used as they are; a plain gzip file (which faidx cannot index) is decompressed into a temporary
// folder (TMPDIR, else /tmp) that is removed with the object, and on interruption (interrupt_cleanup.h).
// The copy holds the same names and bases, so windows drawn from it are those of the uncompressed file.
//
// Errors: InputError from reading the gzip file (sequence_reader.h), IoError when the copy cannot be written.
#pragma once

#include <string>

namespace genobird::io {

class IndexableFasta {
 public:
  explicit IndexableFasta(const std::string& path);
  ~IndexableFasta();
  IndexableFasta(const IndexableFasta&) = delete;
  IndexableFasta& operator=(const IndexableFasta&) = delete;

  const std::string& path() const { return path_; }  // the file to open with IndexedFasta
  bool is_copy() const { return !temp_dir_.empty(); }

 private:
  std::string path_;
  std::string temp_dir_;  // "" when the file is used as it is
};

}  // namespace genobird::io
