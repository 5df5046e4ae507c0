// A FASTA genome and its .fai through IndexedFasta: the first byte chooses whether the bytes are a FASTA
// to index (htslib builds the .fai, which is then checked against the file) or a .fai beside a fixed small
// FASTA (a hand-edited or stale index). Every indexed sequence is then fetched whole and in pieces.
#include <cstdio>

#include "fuzz_input.h"
#include "io/indexed_fasta.h"
#include "util/error.h"

namespace {
constexpr char kFasta[] = ">a desc\nACGTACGTAC\nACGTAC\n>b\nNNNNACGT\nAC\n>c\n\n>d\r\nACGT\r\nAC\r\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string path;
  if (data[0] & 1) {
    path = genobird::fuzz::write_input(reinterpret_cast<const std::uint8_t*>(kFasta), sizeof kFasta - 1, ".fa");
    genobird::fuzz::write_input(data + 1, size - 1, ".fa.fai");
  } else {
    path = genobird::fuzz::write_input(data + 1, size - 1, ".fa");
    std::remove((path + ".fai").c_str());
  }
  try {
    genobird::io::IndexedFasta fasta(path);
    std::string out;
    for (const auto& name : fasta.names()) {
      const std::uint64_t length = fasta.length(name);
      if (length > (1u << 20)) continue;
      fasta.fetch_into(name, 0, length, out);
      if (length > 2) fasta.fetch_into(name, 1, length - 1, out);
    }
  } catch (const genobird::Error&) {
  }
  return 0;
}
