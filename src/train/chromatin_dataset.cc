#include "train/chromatin_dataset.h"

#include <algorithm>
#include <filesystem>

#include "io/bed.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/log.h"

namespace genobird::train {
namespace {

std::string profile_name_from_path(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* suffix : {".gz", ".narrowPeak", ".broadPeak", ".bed"}) {
    std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) name.resize(name.size() - s.size());
  }
  return name;
}

void merge_profile(PeakProfile& profile) {
  for (auto& [chrom, intervals] : profile.peaks) intervals = merge_intervals(std::move(intervals));
}

}  // namespace

std::vector<io::Interval> merge_intervals(std::vector<io::Interval> intervals) {
  std::sort(intervals.begin(), intervals.end(),
            [](const io::Interval& a, const io::Interval& b) { return a.start < b.start || (a.start == b.start && a.end < b.end); });
  std::vector<io::Interval> merged;
  for (const auto& iv : intervals) {
    if (iv.start == iv.end) continue;
    if (!merged.empty() && iv.start <= merged.back().end) merged.back().end = std::max(merged.back().end, iv.end);
    else merged.push_back(iv);
  }
  return merged;
}

std::vector<PeakProfile> read_peak_files(const std::vector<std::string>& paths) {
  std::vector<PeakProfile> profiles;
  for (const auto& path : paths) {
    PeakProfile profile;
    profile.name = profile_name_from_path(path);
    profile.source = path;
    for (const auto& r : io::read_bed(path)) profile.peaks[r.chrom].push_back({r.start, r.end});
    merge_profile(profile);
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

std::vector<PeakProfile> read_peak_table(const std::string& path, int profile_column) {
  std::vector<PeakProfile> profiles;
  std::map<std::string, std::size_t> index;
  for (const auto& r : io::read_bed(path)) {
    if (static_cast<int>(r.fields.size()) < profile_column)
      throw InputError(path, r.line, "expected a profile name in column " + std::to_string(profile_column) + ", found " +
                                         std::to_string(r.fields.size()) + " columns");
    const std::string& name = r.fields[static_cast<std::size_t>(profile_column - 1)];
    auto [it, added] = index.emplace(name, profiles.size());
    if (added) profiles.push_back({name, path, {}});
    profiles[it->second].peaks[r.chrom].push_back({r.start, r.end});
  }
  for (auto& profile : profiles) merge_profile(profile);
  return profiles;
}

std::vector<std::uint64_t> positive_bins(const std::vector<io::Interval>& peaks, std::uint64_t chrom_length,
                                         std::uint64_t bin_bp) {
  const std::uint64_t bins = chrom_length / bin_bp;
  // Overlap of each touched bin, accumulated peak by peak (peaks are merged, so nothing counts twice).
  std::map<std::uint64_t, std::uint64_t> overlap;
  for (const auto& peak : peaks) {
    const std::uint64_t end = std::min(peak.end, bins * bin_bp);
    for (std::uint64_t bin = peak.start / bin_bp; bin * bin_bp < end; ++bin) {
      const std::uint64_t lo = std::max(peak.start, bin * bin_bp), hi = std::min(end, (bin + 1) * bin_bp);
      if (hi > lo) overlap[bin] += hi - lo;
    }
  }
  std::vector<std::uint64_t> positive;
  for (const auto& [bin, bases] : overlap)
    if (2 * bases > bin_bp) positive.push_back(bin);
  return positive;
}

ChromatinDatasets build_chromatin_datasets(const io::IndexedFasta& genome, const std::vector<PeakProfile>& profiles,
                                           const ChromatinDatasetOptions& options, std::mt19937_64& rng) {
  if (options.window_bp > static_cast<std::uint64_t>(limits::kMaxWindowBp))
    throw UsageError("--window " + std::to_string(options.window_bp) + " is out of range (max " +
                     std::to_string(limits::kMaxWindowBp) + " bp)");
  if (options.window_bp < options.bin_bp)
    throw UsageError("--window (" + std::to_string(options.window_bp) + ") must be at least --bin (" +
                     std::to_string(options.bin_bp) + ")");
  for (const auto& profile : profiles)
    for (const auto& [chrom, peaks] : profile.peaks)
      if (!genome.contains(chrom))
        throw InputError(profile.source, 0, "profile '" + profile.name + "' has peaks on chromosome '" + chrom +
                                                "', which the genome " + genome.path() + " lacks");

  ChromatinDatasets out;
  std::vector<std::string> label_names;
  for (const auto& p : profiles) label_names.push_back(p.name);
  for (auto* split : {&out.train, &out.valid, &out.test}) {
    split->task = "chromatin";
    split->label_names = label_names;
  }
  auto in = [](const std::vector<std::string>& list, const std::string& chrom) {
    return std::find(list.begin(), list.end(), chrom) != list.end();
  };
  auto inside = [](const std::vector<io::GenomeRegion>& regions, const std::string& chrom, std::uint64_t s, std::uint64_t e) {
    return std::any_of(regions.begin(), regions.end(), [&](const io::GenomeRegion& r) { return r.contains(chrom, s, e); });
  };
  auto reaches = [](const std::vector<io::GenomeRegion>& regions, const std::string& chrom, std::int64_t s, std::int64_t e) {
    return std::any_of(regions.begin(), regions.end(), [&](const io::GenomeRegion& r) { return r.overlaps(chrom, s, e); });
  };
  const double test_background =
      options.test_background_fraction < 0 ? options.background_fraction : options.test_background_fraction;
  std::string seq;
  for (const auto& chrom : genome.names()) {
    const std::uint64_t length = genome.length(chrom);
    const std::uint64_t bins = length / options.bin_bp;
    std::vector<std::vector<std::uint8_t>> labels;  // [profile][bin], built only for chromosomes with bins
    if (bins == 0) continue;
    labels.assign(profiles.size(), std::vector<std::uint8_t>(bins, 0));
    for (std::size_t p = 0; p < profiles.size(); ++p) {
      auto it = profiles[p].peaks.find(chrom);
      if (it == profiles[p].peaks.end()) continue;
      for (std::uint64_t bin : positive_bins(it->second, length, options.bin_bp)) labels[p][bin] = 1;
    }
    LabelledDataset& chrom_split =
        in(options.test_chroms, chrom) ? out.test : in(options.valid_chroms, chrom) ? out.valid : out.train;
    std::vector<std::uint8_t> row(profiles.size());
    for (std::uint64_t bin = 0; bin < bins; ++bin) {
      // One draw per bin, whatever its labels and window, so that the same seed keeps the same background
      // bins for any window length (short- and long-window datasets then hold the same bins).
      const double draw = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      const std::int64_t centre = static_cast<std::int64_t>(bin * options.bin_bp + options.bin_bp / 2);
      const std::int64_t start = centre - static_cast<std::int64_t>(options.window_bp / 2);
      const std::int64_t end = start + static_cast<std::int64_t>(options.window_bp);
      if (start < 0 || end > static_cast<std::int64_t>(length)) continue;
      ++out.bins_total;
      const std::uint64_t bin_start = bin * options.bin_bp, bin_end = bin_start + options.bin_bp;
      // A bin straddling a region's edge goes by its chromosome, and is then dropped by the guard.
      LabelledDataset& split = inside(options.test_regions, chrom, bin_start, bin_end)    ? out.test
                               : inside(options.valid_regions, chrom, bin_start, bin_end) ? out.valid
                                                                                          : chrom_split;
      const bool guarded = (&split != &out.test && reaches(options.test_regions, chrom, start, end)) ||
                           (&split == &out.train && reaches(options.valid_regions, chrom, start, end));
      if (guarded) {
        ++out.bins_dropped_guard;
        continue;
      }
      bool any = false;
      for (std::size_t p = 0; p < profiles.size(); ++p) {
        row[p] = labels[p][bin];
        any = any || row[p];
      }
      if (!any && draw >= (&split == &out.test ? test_background : options.background_fraction)) continue;
      genome.fetch_into(chrom, static_cast<std::uint64_t>(start), static_cast<std::uint64_t>(end), seq);
      io::to_upper_inplace(seq);
      if (static_cast<double>(io::count_n(seq)) > options.max_n_fraction * static_cast<double>(seq.size())) {
        ++out.bins_dropped_n;
        continue;
      }
      LabelledExample e;
      e.name = chrom + "_bin" + std::to_string(bin);
      e.chrom = chrom;
      e.start = start;
      e.end = end;
      e.strand = '+';
      e.sequence = seq;
      split.add(std::move(e), row);
    }
  }
  return out;
}

}  // namespace genobird::train
