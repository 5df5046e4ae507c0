// Window geometry shared by predict and annotate: where a model window lies around a region or a bin,
// and how its bases are fetched when it runs off a chromosome end (padded with N). No tensors here.
#pragma once

#include <cstdint>
#include <string>

#include "io/indexed_fasta.h"

namespace genobird::infer {

// A window in chromosome coordinates, 0-based half-open; it may reach below 0 or past the chromosome end.
struct GenomeWindow {
  std::int64_t start = 0;
  std::int64_t end = 0;
};

// The `width`-bp window centred on [start, end): centre = floor((start + end) / 2), window starts
// floor(width / 2) before it. The same rule for every region, so a region and its resized window are
// reproducible by hand.
GenomeWindow centred_window(std::uint64_t start, std::uint64_t end, std::int64_t width);

// `window` moved inside [0, chrom_length) when it runs off an end and the chromosome is at least as long as
// the window (annotate's rule: a bin near an end is scored on real bases, not on N padding the model never
// saw in training); unchanged otherwise.
GenomeWindow shifted_inside(const GenomeWindow& window, std::uint64_t chrom_length);

// The window annotate scores for the bin [start, end) of a chromosome of `chrom_length` bp: centred on the
// bin and moved inside the chromosome (shifted_inside); on a chromosome shorter than the window, the whole
// chromosome, so a short sequence is scored on its own bases, as predict --fasta scores a short record.
GenomeWindow bin_window(std::uint64_t start, std::uint64_t end, std::int64_t width, std::uint64_t chrom_length);

// True when `bases` holds no A, C, G or T (upper or lower case): a window in an assembly gap, which a model
// would score as if N were DNA.
bool no_called_base(const std::string& bases);

// Fetches the bases of `window` on `chrom` (length `chrom_length`) into `out`, upper-cased, with 'N' for
// the part outside [0, chrom_length); reverse-complements when `reverse`. Returns the number of N added.
std::uint64_t fetch_window(const io::IndexedFasta& genome, const std::string& chrom, std::uint64_t chrom_length,
                           const GenomeWindow& window, bool reverse, std::string& out);

// The central `width` bp of a sequence (all of it when shorter), for FASTA records longer than a window.
std::string central_bases(const std::string& seq, std::int64_t width);

// Sliding bins of annotate: [region_start, region_end) is cut into bins of `step` bp (the last one may be
// shorter); bin i is [region_start + i * step, min(region_start + (i + 1) * step, region_end)).
std::uint64_t bin_count(std::uint64_t region_start, std::uint64_t region_end, std::uint64_t step);

// The window of an allele, for variant scoring. The allele replaces the reference bases [start, end) of
// `chrom`; the edited sequence is cut to `width` bp centred on the allele the way centred_window centres a
// region: centre = start + floor(allele_length / 2), the window starts floor(width / 2) before it. So a SNV
// changes one base of the reference window, a deletion pulls in as many flanking bases as it removes (about
// half from each side) and an insertion pushes as many out: every window keeps the model's length. Called
// with the reference allele it is the reference window, centred_window(start, end, width). Bases beyond a
// chromosome end are N, as in predict. Returns the number of N added.
std::uint64_t allele_window(const io::IndexedFasta& genome, const std::string& chrom, std::uint64_t chrom_length,
                            std::uint64_t start, std::uint64_t end, const std::string& allele, std::int64_t width,
                            std::string& out);

}  // namespace genobird::infer
