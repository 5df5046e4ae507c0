// A tabix index (PATH.tbi) for a bgzip-compressed BED-like file, as `tabix -p bed PATH` writes it:
// columns 1-3 are chrom, start, end (0-based), lines starting with '#' are headers.
#pragma once

#include <string>

namespace genobird::infer {

// Throws IoError when htslib cannot build the index; the usual cause, rows not sorted by position within
// each chromosome, is named in the message.
void build_tabix_index(const std::string& bgzip_path);

}  // namespace genobird::infer
