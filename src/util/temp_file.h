// Temporary files beside an output path, for atomic outputs (written whole, then renamed onto the path).
#pragma once

#include <string>

namespace genobird {

// Creates an empty temporary file beside `path` ("PATH.tmp.XXXXXX", the name shortened when it would pass the
// file-name limit) with the permissions a plain open() would give, stores its name in `temp_path`, registers it
// for removal on interruption (interrupt_cleanup.h) and returns its descriptor. OutputFile writes through it;
// writers that must open their file by name use TempFileBeside below. Throws IoError, also when `path` cannot
// be written (check_output_path).
int open_temp_beside(const std::string& path, std::string& temp_path);

// A temporary file beside `path` for a writer that opens its file by name (htslib's VCF/BCF writer,
// libBigWig): created empty and registered for interrupt cleanup; commit() renames it onto `path`; destroyed
// without commit() it is removed. Either way it is unregistered. Throws IoError.
class TempFileBeside {
 public:
  explicit TempFileBeside(std::string path);
  ~TempFileBeside();
  TempFileBeside(const TempFileBeside&) = delete;
  TempFileBeside& operator=(const TempFileBeside&) = delete;

  const std::string& temp_path() const { return temp_path_; }
  void commit();

 private:
  std::string path_;
  std::string temp_path_;
  bool committed_ = false;
};

}  // namespace genobird
