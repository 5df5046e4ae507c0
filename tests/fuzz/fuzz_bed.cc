// BED files through read_bed.
#include "fuzz_input.h"
#include "io/bed.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = genobird::fuzz::write_input(data, size, ".bed");
  try {
    genobird::io::read_bed(path);
  } catch (const genobird::Error&) {
  }
  return 0;
}
