// Shared by the libFuzzer targets: the fuzzer's bytes as a file, for the parsers that read paths, and the
// rule every target follows: a genobird::Error is the expected answer to bad bytes; anything else (a crash,
// a sanitizer report, another exception, an allocation beyond libFuzzer's -rss_limit_mb) is a finding.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace genobird::fuzz {

// Writes `data` to a file of this process (in $TMPDIR, /tmp by default) named after `suffix`, which
// decides how readers that look at the extension treat it; returns its path. Rewritten for every input.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
  const char* folder = std::getenv("TMPDIR");
  const std::string path = std::string(folder ? folder : "/tmp") + "/genobird-fuzz-" + std::to_string(::getpid()) + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace genobird::fuzz
