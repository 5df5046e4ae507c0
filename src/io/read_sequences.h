// The read sequences of any read file genobird accepts, one by one.
//
// SAM/BAM/CRAM (detected by content): every record AlignmentReader keeps with its defaults — primary records
// (flags 0x900 dropped), reverse-strand reads restored to their original orientation, as `samtools fasta`;
// `reference` decodes CRAM. Anything else, and "-" (stdin): FASTA/FASTQ records (plain or gzip). Records come
// in file order, sequences as stored (case kept; "" for a SAM record without one).
// Errors: those of AlignmentReader and SequenceReader (InputError naming the file and record).
#pragma once

#include <functional>
#include <string>

namespace genobird::io {

// Calls `use` with each sequence (which it may move from); stops early when `use` returns false.
void for_each_read_sequence(const std::string& path, const std::string& reference,
                            const std::function<bool(std::string& sequence)>& use);

}  // namespace genobird::io
