// BED regions of a genome as `predict` and `embed` read them: every region must have the columns of the
// first; regions are sharded by their 0-based index over the whole input (valid or not); a region on a
// chromosome the genome lacks, or ending past the chromosome's end, is an InputError naming the BED file and
// line, or, with skip_invalid, is left out and counted.
// Not thread-safe: one reader per thread (the prefetch pipeline's producer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "io/bed.h"
#include "io/indexed_fasta.h"

namespace genobird::infer {

struct RegionSourceOptions {
  bool skip_invalid = false;      // leave out regions on unknown chromosomes or past a chromosome end
  std::uint64_t shard_index = 0;  // keep regions k with k % shard_count == shard_index
  std::uint64_t shard_count = 1;
};

class RegionSource {
 public:
  // Opens both files and reads the first region (its column count fixes the header).
  RegionSource(const std::string& genome_path, const std::string& bed_path, RegionSourceOptions options);

  // The next region of this shard that lies inside the genome; false at the end of the BED file.
  bool next(io::BedRecord& record);

  // Column names of the regions: the six standard BED ones, all twelve for BED12, colN beyond; tab-joined.
  std::string header() const;
  bool empty() const { return !pending_ && regions_ == 0; }

  const io::IndexedFasta& genome() const { return genome_; }
  std::uint64_t regions() const { return regions_; }            // regions read, every shard
  std::uint64_t skipped_invalid() const { return skipped_; }

 private:
  std::string genome_path_;
  std::string bed_path_;
  RegionSourceOptions options_;
  io::IndexedFasta genome_;
  io::BedReader reader_;
  std::optional<io::BedRecord> pending_;  // the first region, read by the constructor
  std::size_t columns_ = 3;
  std::uint64_t regions_ = 0;
  std::uint64_t skipped_ = 0;
};

// The region's columns as read, tab-joined.
std::string joined_columns(const io::BedRecord& record);

}  // namespace genobird::infer
