// bigWig output through libBigWig (Debian's libbigwig-dev, the library deepTools' pyBigWig wraps).
//
// The chromosome list (names and lengths, e.g. from a genome's .fai) is fixed at construction, in the order
// intervals must come: bigWig stores them sorted, so every interval must follow the previous one (a later
// chromosome of the list, or the same one at or after the previous end); anything else is an Error saying
// so. Intervals are buffered and written in blocks. The file appears at its path only on commit(), like
// OutputFile; there is no stdout output (bigWig is written with seeks).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace genobird::io {

class BigWigWriter {
 public:
  BigWigWriter(const std::string& path, const std::vector<std::pair<std::string, std::uint64_t>>& chromosomes);
  ~BigWigWriter();
  BigWigWriter(const BigWigWriter&) = delete;
  BigWigWriter& operator=(const BigWigWriter&) = delete;

  void add(const std::string& chrom, std::uint64_t start, std::uint64_t end, float value);
  void commit();
  const std::string& path() const { return path_; }

 private:
  void flush();
  struct State;
  std::string path_;
  std::unique_ptr<State> state_;
};

// True for ".bw" and ".bigwig" (any case) paths.
bool is_bigwig_path(const std::string& path);

}  // namespace genobird::io
