#include "io/bigwig_writer.h"


#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <limits>
#include <unordered_map>

// Only local files are written, so the header is read without curl's (its pointers keep every struct used
// here the same layout either way).
#define NOCURL
extern "C" {
#include <bigWig.h>
}

#include "util/error.h"
#include "util/temp_file.h"

namespace genobird::io {

bool is_bigwig_path(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  auto ends_with = [&](const std::string& suffix) {
    return lower.size() >= suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".bw") || ends_with(".bigwig");
}

struct BigWigWriter::State {
  bigWigFile_t* file = nullptr;
  std::optional<TempFileBeside> temp;
  std::vector<std::string> names;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t chrom = 0;     // current chromosome (index into names)
  std::uint64_t last_end = 0;
  bool any = false;
  std::vector<std::uint32_t> starts, ends;
  std::vector<float> values;

  ~State() {
    if (file) bwClose(file);
  }
};

BigWigWriter::BigWigWriter(const std::string& path, const std::vector<std::pair<std::string, std::uint64_t>>& chromosomes)
    : path_(path), state_(std::make_unique<State>()) {
  State& s = *state_;
  if (path.empty() || path == "-") throw UsageError("bigWig output needs a file name (it cannot go to stdout)");
  if (bwInit(1 << 17) != 0) throw Error("libBigWig failed to initialise");
  s.temp.emplace(path);
  s.file = bwOpen(s.temp->temp_path().c_str(), nullptr, "w");
  if (!s.file) throw IoError(with_errno("cannot write " + path));
  if (bwCreateHdr(s.file, 10) != 0) throw Error("libBigWig cannot create the header of " + path);
  std::vector<const char*> names;
  std::vector<std::uint32_t> lengths;
  for (const auto& [name, length] : chromosomes) {
    if (length > std::numeric_limits<std::uint32_t>::max())
      throw Error(name + " is longer than bigWig's 32-bit coordinates allow (" + std::to_string(length) + " bp)");
    s.index.emplace(name, s.names.size());
    s.names.push_back(name);
    lengths.push_back(static_cast<std::uint32_t>(length));
  }
  for (const auto& name : s.names) names.push_back(name.c_str());
  s.file->cl = bwCreateChromList(names.data(), lengths.data(), static_cast<int64_t>(names.size()));
  if (!s.file->cl || bwWriteHdr(s.file) != 0) throw Error("libBigWig cannot write the header of " + path);
}

BigWigWriter::~BigWigWriter() = default;

void BigWigWriter::add(const std::string& chrom, std::uint64_t start, std::uint64_t end, float value) {
  State& s = *state_;
  const auto found = s.index.find(chrom);
  if (found == s.index.end()) throw Error("bigWig " + path_ + ": chromosome " + chrom + " is not in the genome's list");
  const std::size_t c = found->second;
  if (s.any && (c < s.chrom || (c == s.chrom && start < s.last_end)))
    throw Error("bigWig " + path_ + ": intervals must come sorted by chromosome (in the genome's order) and position, "
                "without overlaps; " + chrom + ":" + std::to_string(start) + " comes after " + s.names[s.chrom] + ":" +
                std::to_string(s.last_end) + " (sort and merge the BED regions)");
  if (s.any && c != s.chrom) flush();
  s.any = true;
  s.chrom = c;
  s.last_end = end;
  s.starts.push_back(static_cast<std::uint32_t>(start));
  s.ends.push_back(static_cast<std::uint32_t>(end));
  s.values.push_back(value);
  if (s.values.size() >= 8192) flush();
}

void BigWigWriter::flush() {
  State& s = *state_;
  if (s.values.empty()) return;
  std::vector<const char*> chroms(s.values.size(), s.names[s.chrom].c_str());
  if (bwAddIntervals(s.file, chroms.data(), s.starts.data(), s.ends.data(), s.values.data(),
                     static_cast<std::uint32_t>(s.values.size())) != 0)
    throw Error("libBigWig cannot add intervals to " + path_);
  s.starts.clear();
  s.ends.clear();
  s.values.clear();
}

void BigWigWriter::commit() {
  State& s = *state_;
  flush();
  bwClose(s.file);  // writes the index and zoom levels
  s.file = nullptr;
  s.temp->commit();
}

}  // namespace genobird::io
