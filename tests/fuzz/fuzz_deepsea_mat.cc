// DeepSEA .mat files (MATLAB v5, through matio) through read_deepsea_mat, which must refuse any declared
// shape the file's data cannot hold before it allocates for it.
#include "fuzz_input.h"
#include "train/deepsea_mat.h"
#include "util/error.h"
#include "util/log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    genobird::set_log_level(genobird::LogLevel::kError);
    return true;
  }();
  (void)quiet;
  const std::string path = genobird::fuzz::write_input(data, size, ".mat");
  try {
    genobird::train::read_deepsea_mat(path, 64);
  } catch (const genobird::Error&) {
  }
  return 0;
}
