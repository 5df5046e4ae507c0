#include "model/torch_info.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/version.h>

namespace genobird::cli {

std::vector<std::string> torch_build_lines() {
  std::vector<std::string> lines;
  lines.push_back(std::string("torch ") + TORCH_VERSION);
  lines.push_back(std::string("cuda available: ") + (at::hasCUDA() ? "yes" : "no"));
  lines.push_back("torch threads: " + std::to_string(at::get_num_threads()));
  return lines;
}

}  // namespace genobird::cli
