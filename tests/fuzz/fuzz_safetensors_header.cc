// A .safetensors file's framing and header: the first 8 bytes are the header length as in the format, the
// rest is header then data; parse_safetensors_header checks the header against the data that follows.
#include <algorithm>

#include "model/safetensors_header.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | data[i];
  length = std::min<std::uint64_t>(length, size - 8);
  const std::string header(reinterpret_cast<const char*>(data + 8), length);
  try {
    genobird::model::parse_safetensors_header(header, size - 8 - length, "model.safetensors");
  } catch (const genobird::Error&) {
  }
  return 0;
}
