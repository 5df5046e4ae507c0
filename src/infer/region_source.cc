#include "infer/region_source.h"

#include "util/error.h"

namespace genobird::infer {
namespace {

std::string bed_column_name(std::size_t index, std::size_t count) {
  static const char* const kNames[] = {"chrom",      "start",     "end",        "name",       "score",      "strand",
                                       "thickStart", "thickEnd",  "itemRgb",    "blockCount", "blockSizes", "blockStarts"};
  if (index < 6 || (count == 12 && index < 12)) return kNames[index];
  return "col" + std::to_string(index + 1);
}

}  // namespace

RegionSource::RegionSource(const std::string& genome_path, const std::string& bed_path, RegionSourceOptions options)
    : genome_path_(genome_path), bed_path_(bed_path), options_(options), genome_(genome_path), reader_(bed_path) {
  io::BedRecord first;
  if (reader_.next(first)) {
    columns_ = first.fields.size();
    pending_ = std::move(first);
  }
}

std::string RegionSource::header() const {
  std::string header;
  for (std::size_t i = 0; i < columns_; ++i) header += (i ? "\t" : "") + bed_column_name(i, columns_);
  return header;
}

bool RegionSource::next(io::BedRecord& record) {
  for (;;) {
    if (pending_) {
      record = std::move(*pending_);
      pending_.reset();
    } else if (!reader_.next(record)) {
      return false;
    }
    const std::uint64_t k = regions_++;
    if (record.fields.size() != columns_)
      throw InputError(bed_path_, record.line,
                       "has " + std::to_string(record.fields.size()) + " columns, the first region has " +
                           std::to_string(columns_) + " (every region must have the same columns)");
    if (k % options_.shard_count != options_.shard_index) continue;
    std::string problem;
    if (!genome_.contains(record.chrom))
      problem = "chromosome \"" + record.chrom + "\" is not in the genome " + genome_path_;
    else if (record.end > genome_.length(record.chrom))
      problem = "region ends at " + std::to_string(record.end) + ", past the end of " + record.chrom + " (" +
                std::to_string(genome_.length(record.chrom)) + " bp in " + genome_path_ + ")";
    if (problem.empty()) return true;
    if (!options_.skip_invalid) throw InputError(bed_path_, record.line, problem + " (--skip-invalid leaves such regions out)");
    ++skipped_;
  }
}

std::string joined_columns(const io::BedRecord& record) {
  std::string columns;
  for (std::size_t i = 0; i < record.fields.size(); ++i) columns += (i ? "\t" : "") + record.fields[i];
  return columns;
}

}  // namespace genobird::infer
