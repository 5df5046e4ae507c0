#include "build_info.h"

#ifdef GENOBIRD_WITH_TORCH_INFO
#include "model/torch_info.h"
#endif

namespace genobird::cli {

const char* const kGenobirdVersion = GENOBIRD_VERSION;

std::vector<std::string> build_info_lines() {
  std::vector<std::string> lines;
  lines.push_back(std::string("compiler ") + __VERSION__);
#ifdef GENOBIRD_WITH_TORCH_INFO
  for (const auto& line : torch_build_lines()) lines.push_back(line);
#endif
  return lines;
}

}  // namespace genobird::cli
