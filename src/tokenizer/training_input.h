// Reading the sequences a tokenizer is trained on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genobird::tokenizer {

// Reads every record of FASTA/FASTQ (plain or gzip) and SAM/BAM/CRAM files (detected by content), in
// order, keeping at most `max_bases` bases in all (0: no limit; the record at the limit is cut).
std::vector<std::string> read_training_sequences(const std::vector<std::string>& paths, std::uint64_t max_bases);

}  // namespace genobird::tokenizer
