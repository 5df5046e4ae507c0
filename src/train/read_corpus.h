// Sequencing reads as pretraining data.
//
// write_read_corpus() gathers reads into one FASTA that GenomeWindows then samples like a genome: every
// primary record of SAM/BAM/CRAM input (flags 0x900 dropped, reverse-strand reads restored to their original
// orientation, as `samtools fasta -F 0x900`) and every record of FASTQ/FASTA input (plain or gzip),
// upper-cased, one line per read, named r<input>_<record> (1-based) so that names from different inputs
// never collide. Records without a sequence ('*') are skipped. A window never spans two reads, and reads
// shorter than a window are never drawn: long reads suit long windows, short reads need a short --seq-len.
//
// Errors: InputError naming the input (and record) for a missing or malformed file; IoError when the FASTA
// cannot be written. The FASTA is written atomically (temp + rename) and its stale .fai index removed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genobird::train {

struct ReadCorpus {
  std::uint64_t reads = 0;  // records written
  std::uint64_t bases = 0;
  std::uint64_t longest = 0;
};

// `reference`: FASTA for decoding CRAM input (may be empty otherwise).
ReadCorpus write_read_corpus(const std::vector<std::string>& inputs, const std::string& reference,
                             const std::string& fasta);

}  // namespace genobird::train
