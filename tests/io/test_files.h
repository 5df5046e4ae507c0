// Helpers for io tests: small file writers into the per-process scratch folder.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "scratch_dir.h"
#include "util/output_file.h"

namespace genobird::test {

// Writes `content` to scratch/name; a ".gz" name is written bgzip-compressed.
inline std::string write_file(const std::string& name, const std::string& content) {
  std::string path = (scratch_dir() / name).string();
  OutputFile out(path);
  out.write(content);
  out.commit();
  return path;
}

inline std::string data_path(const std::string& name) { return std::string(GENOBIRD_TEST_DATA) + "/" + name; }

}  // namespace genobird::test
