// Version and build facts printed by `genobird --version [--verbose]`.
#pragma once

#include <string>
#include <vector>

namespace genobird::cli {

extern const char* const kGenobirdVersion;

// One line per linked library or build feature (compiler, torch version and CUDA availability when the
// model library is built).
std::vector<std::string> build_info_lines();

}  // namespace genobird::cli
