#include "io/genome_region.h"

#include "util/error.h"

namespace genobird::io {

GenomeRegion parse_genome_region(const IndexedFasta& genome, const std::string& text, const std::string& option) {
  GenomeRegion region;
  const auto colon = text.rfind(':');
  const bool whole = colon == std::string::npos || genome.contains(text);
  if (whole) {
    region.chrom = text;
  } else {
    region.chrom = text.substr(0, colon);
    std::string range;
    for (char c : text.substr(colon + 1))
      if (c != ',') range += c;
    const auto dash = range.find('-');
    const bool digits = dash != std::string::npos && dash > 0 && range.find_first_not_of("0123456789-") == std::string::npos &&
                        range.find('-', dash + 1) == std::string::npos;
    if (!digits) throw UsageError(option + " \"" + text + "\" is not CHR:START-END (1-based, inclusive) or CHR:START-");
    region.start = std::stoull(range.substr(0, dash));
    region.end = dash + 1 < range.size() ? std::stoull(range.substr(dash + 1)) : UINT64_MAX;
    if (region.start < 1 || region.start > region.end)
      throw UsageError(option + " \"" + text + "\": START must be at least 1 and at most END");
    region.start -= 1;
  }
  if (!genome.contains(region.chrom))
    throw UsageError(option + " " + text + ": chromosome \"" + region.chrom + "\" is not in " + genome.path());
  const std::uint64_t length = genome.length(region.chrom);
  if (whole || region.end == UINT64_MAX) region.end = length;
  if (region.end > length)
    throw UsageError(option + " " + text + " ends past the end of " + region.chrom + " (" + std::to_string(length) + " bp)");
  if (region.start >= region.end)
    throw UsageError(option + " " + text + " starts past the end of " + region.chrom + " (" + std::to_string(length) + " bp)");
  return region;
}

std::vector<GenomeRegion> parse_genome_regions(const IndexedFasta& genome, const std::string& text, const std::string& option) {
  std::vector<GenomeRegion> regions;
  std::string item;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool separator = i == text.size() || text[i] == ' ' || text[i] == ';';
    if (!separator) {
      item += text[i];
    } else if (!item.empty()) {
      regions.push_back(parse_genome_region(genome, item, option));
      item.clear();
    }
  }
  return regions;
}

}  // namespace genobird::io
