// Build facts of the model library for `genobird --version --verbose`.
#pragma once

#include <string>
#include <vector>

namespace genobird::cli {

// "torch 1.13.0", "cuda available: no", "threads: N (OpenBLAS threads: ...)".
std::vector<std::string> torch_build_lines();

}  // namespace genobird::cli
