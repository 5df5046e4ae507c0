// tokenizer.json text through parse_tokenizer_json; a file that parses is built into a Tokenizer and
// encodes a short sequence.
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_json.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    genobird::tokenizer::Tokenizer tokenizer(genobird::tokenizer::parse_tokenizer_json(text, "tokenizer.json"));
    tokenizer.encode("ACGTNNACGTTTGACCAGTACGATCAGTNACG");
  } catch (const genobird::Error&) {
  }
  return 0;
}
