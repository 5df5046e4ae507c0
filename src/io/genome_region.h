// Regions written the way samtools and IGV write them: "CHR", "CHR:START-END" (1-based, inclusive, commas
// allowed) or "CHR:START-" (to the chromosome's end), checked against a genome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/indexed_fasta.h"

namespace genobird::io {

// 0-based, half-open.
struct GenomeRegion {
  std::string chrom;
  std::uint64_t start = 0, end = 0;
  bool contains(const std::string& c, std::uint64_t s, std::uint64_t e) const { return c == chrom && s >= start && e <= end; }
  bool overlaps(const std::string& c, std::int64_t s, std::int64_t e) const {
    return c == chrom && s < static_cast<std::int64_t>(end) && e > static_cast<std::int64_t>(start);
  }
};

// Parses `text`; a sequence name that itself contains ':' is taken whole. Throws UsageError naming `option`
// for a malformed region, an unknown chromosome, or an end past the chromosome's.
GenomeRegion parse_genome_region(const IndexedFasta& genome, const std::string& text, const std::string& option);

// Comma-free lists are awkward for regions with commas in numbers, so lists of regions are separated by
// spaces or semicolons: "chr2R:16,000,001- chr3L".
std::vector<GenomeRegion> parse_genome_regions(const IndexedFasta& genome, const std::string& text, const std::string& option);

}  // namespace genobird::io
