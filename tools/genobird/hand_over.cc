#include "hand_over.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace genobird::cli {

namespace fs = std::filesystem;

namespace {

// genobird-torch beside this executable (a build tree), then in libexec/genobird relative to bin/ (an
// installed tree). /proc/self/exe rather than argv[0], which may be a bare name found through PATH.
std::vector<fs::path> candidate_paths() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  fs::path dir = self.parent_path();
  return {dir / GENOBIRD_HAND_OVER, (dir / GENOBIRD_LIBEXEC_FROM_BIN / GENOBIRD_HAND_OVER).lexically_normal()};
}

}  // namespace

int hand_over_to_torch_binary(char** argv) {
  std::vector<fs::path> candidates = candidate_paths();
  // OpenMP threads that spin while they wait take the cores from genobird's own reader and tokenizer threads
  // (and from other jobs): measured on 2 idle cores, `annotate -t 2` ran 2.5x slower spinning than waiting
  // passively, and under load training ran 4-40x slower. The OpenMP runtime reads this when genobird-torch
  // loads it, so it is set here; a value the user set is kept.
  ::setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  for (const auto& path : candidates) {
    if (::access(path.c_str(), X_OK) != 0) continue;
    // argv[0] stays as the user typed it; the dispatcher names itself "genobird" in every message.
    ::execv(path.c_str(), argv);
    std::cerr << "genobird: error: cannot run " << path.string() << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  std::cerr << "genobird: error: this command needs the model programs, but " GENOBIRD_HAND_OVER
               " is missing (looked for";
  for (const auto& path : candidates) std::cerr << " " << path.string();
  std::cerr << "); reinstall genobird\n";
  return 1;
}

}  // namespace genobird::cli
