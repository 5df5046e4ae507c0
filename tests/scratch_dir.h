// A scratch folder for tests that write files: one per test process, in the system temporary folder.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace genobird::test {

// Created empty on first use (a leftover from an earlier process with the same id is cleared) and removed
// with everything in it when the process exits, whether its tests passed or failed: the folder is held by a
// function-local static, whose destructor runs at exit. Tests that share the process use their own
// subfolders or file names inside it.
inline const std::filesystem::path& scratch_dir() {
  struct Folder {
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("genobird_test_" + std::to_string(::getpid()));
    Folder() {
      std::filesystem::remove_all(path);
      std::filesystem::create_directories(path);
    }
    ~Folder() {
      std::error_code ignored;  // a destructor at exit must not throw
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.path;
}

// An empty subfolder `name` of scratch_dir(), for a test that lists or counts the files it makes.
inline std::filesystem::path fresh_scratch_subdir(const std::string& name) {
  std::filesystem::path dir = scratch_dir() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace genobird::test
