// Helpers for io tests: a scratch folder per test binary and small file writers.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "util/output_file.h"

namespace genobird::test {

inline std::filesystem::path scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto p = std::filesystem::temp_directory_path() / ("genobird_io_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(p);
    std::filesystem::create_directories(p);
    return p;
  }();
  return dir;
}

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
