// FASTA and FASTQ (plain or gzip) through SequenceReader, every record read to the end.
#include "fuzz_input.h"
#include "io/sequence_reader.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = genobird::fuzz::write_input(data, size, ".fa");
  try {
    genobird::io::SequenceReader reader(path);
    genobird::io::SequenceRecord record;
    while (reader.next(record)) {
    }
  } catch (const genobird::Error&) {
  }
  return 0;
}
