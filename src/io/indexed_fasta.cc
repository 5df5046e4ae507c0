#include "io/indexed_fasta.h"

#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace genobird::io {
namespace {
faidx_t* as_fai(void* p) { return static_cast<faidx_t*>(p); }

bool has_gzip_magic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

}  // namespace

bool is_plain_gzip(const std::string& path) {
  if (!has_gzip_magic(path)) return false;
  htsFile* f = hts_open(path.c_str(), "r");
  const bool is_bgzf = f != nullptr && hts_get_format(f)->compression == bgzf;
  if (f != nullptr) hts_close(f);
  return !is_bgzf;
}

namespace {

// Why an index could not be loaded or built, for the error message.
std::string diagnose(const std::string& path) {
  if (!std::ifstream(path, std::ios::binary)) return "cannot open file";
  if (has_gzip_magic(path)) {
    if (is_plain_gzip(path))
      return "compressed with plain gzip, which cannot be indexed; recompress it with 'bgzip' "
             "(zcat FILE | bgzip > FILE.bgz)";
    return "cannot build the .fai/.gzi index (is the folder writable? is the file a FASTA?)";
  }
  return "cannot build or read the .fai index (is it a FASTA file with equal-length lines per record, "
         "and is the folder writable?)";
}
}  // namespace

IndexedFasta::IndexedFasta(const std::string& path) : path_(path) {
  faidx_t* fai = fai_load3(path.c_str(), nullptr, nullptr, FAI_CREATE);
  if (fai == nullptr) throw InputError(path, 0, diagnose(path));
  fai_ = fai;
  // The destructor does not run for a constructor that throws: release what is held before rethrowing.
  try {
    int n = faidx_nseq(fai);
    names_.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) names_.emplace_back(faidx_iseq(fai, i));
    load_fai_entries();
    if (has_gzip_magic(path)) return;
    int fd = ::open(path.c_str(), O_RDONLY);
    struct stat st {};
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        mapped_ = static_cast<const char*>(p);
        mapped_size_ = static_cast<std::uint64_t>(st.st_size);
      }
    }
    if (fd >= 0) ::close(fd);
    if (mapped_ != nullptr) check_index_matches_file();
  } catch (...) {
    release();
    throw;
  }
}

IndexedFasta::~IndexedFasta() { release(); }

void IndexedFasta::release() noexcept {
  if (mapped_ != nullptr) munmap(const_cast<char*>(mapped_), mapped_size_);
  if (fai_ != nullptr) fai_destroy(as_fai(fai_));
  mapped_ = nullptr;
  fai_ = nullptr;
}

std::uint64_t IndexedFasta::line_of(std::uint64_t offset) const {
  std::uint64_t line = 1;
  for (const char* p = mapped_; (p = static_cast<const char*>(std::memchr(p, '\n', mapped_ + offset - p))) != nullptr; ++p)
    ++line;
  return line;
}

// From `position`, steps over header lines of records without bases (a header followed by another header,
// blank lines or the end of the file) up to `limit`; returns where the next non-empty record's header
// starts. A skipped header that repeats a name seen before is reported through `duplicate`.
template <typename Duplicate>
std::uint64_t IndexedFasta::skip_empty_records(std::uint64_t position, std::uint64_t limit,
                                               std::unordered_map<std::string, std::uint64_t>& header_at,
                                               const Duplicate& duplicate) const {
  while (position < limit && mapped_[position] == '>') {
    const char* line = mapped_ + position;
    const char* end = static_cast<const char*>(std::memchr(line, '\n', mapped_size_ - position));
    std::uint64_t next = end ? static_cast<std::uint64_t>(end - mapped_) + 1 : mapped_size_;
    std::uint64_t after = next;
    while (after < mapped_size_ && (mapped_[after] == '\n' || mapped_[after] == '\r')) ++after;
    if (after < mapped_size_ && mapped_[after] != '>') return position;  // it has bases
    const char* stop = std::find_if(line + 1, mapped_ + next, [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
    const std::string name(line + 1, static_cast<std::size_t>(stop - (line + 1)));
    auto first = header_at.find(name);
    if (first != header_at.end()) duplicate(name, first->second, position);
    header_at.emplace(name, position);
    position = after;
  }
  return position;
}

// The .fai says where each record's header ends and its bases lie; a FASTA edited after indexing (or one
// with a repeated name, which htslib leaves out of the index) no longer fits. Each record is checked at
// its boundaries: the header line before its first base names it, and its last line ends where the next
// record's header (or the end of the file) begins. O(records), so cheap even for assemblies of many
// scaffolds.
void IndexedFasta::check_index_matches_file() const {
  const std::string fai = path_ + ".fai";
  auto stale = [&](const std::string& what) {
    throw InputError(fai, 0, "the index does not match " + path_ + " (" + what +
                                 "): the FASTA changed after it was indexed; delete " + fai + " to rebuild it");
  };
  auto duplicate = [&](const std::string& name, std::uint64_t first, std::uint64_t again) {
    throw InputError(path_, line_of(again), "duplicate sequence name '" + name + "' (first at line " +
                                                std::to_string(line_of(first)) +
                                                "); names must be unique, as samtools faidx requires");
  };
  std::unordered_map<std::string, std::uint64_t> header_at;  // name -> byte offset of its header
  std::uint64_t expected_header = 0;  // where the next record's header must start
  while (expected_header < mapped_size_ && (mapped_[expected_header] == '\n' || mapped_[expected_header] == '\r'))
    ++expected_header;
  for (const std::string& name : names_) {
    const Entry& e = entries_.at(name);
    if (e.offset <= expected_header || e.offset > mapped_size_ || (e.length > 0 && e.line_bases == 0) ||
        e.line_bytes < e.line_bases)
      stale("record '" + name + "' lies outside the file");
    // Records without bases are left out of the index by htslib (as by samtools faidx): step over their
    // header lines.
    expected_header = skip_empty_records(expected_header, e.offset, header_at, duplicate);
    if (expected_header >= e.offset) stale("the header of record '" + name + "' is not where the index says");
    // The header: from expected_header up to the newline before the first base.
    const char* header = mapped_ + expected_header;
    const char* header_end = static_cast<const char*>(std::memchr(header, '\n', e.offset - expected_header));
    if (header_end == nullptr || header_end != mapped_ + e.offset - 1 || *header != '>') {
      // A header the index does not list: a repeated name, or records added since indexing.
      if (*header == '>') {
        std::string seen(header + 1, static_cast<std::size_t>(
                                         std::find_if(header + 1, mapped_ + e.offset,
                                                      [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }) -
                                         (header + 1)));
        auto first = header_at.find(seen);
        if (first != header_at.end()) duplicate(seen, first->second, expected_header);
      }
      stale("the header of record '" + name + "' is not where the index says");
    }
    std::uint64_t header_length = static_cast<std::uint64_t>(header_end - header);
    if (header_length > 0 && header[header_length - 1] == '\r') --header_length;
    if (std::memchr(header, '\0', header_length) != nullptr)
      throw InputError(path_, line_of(expected_header), "NUL byte in the FASTA header of '" + name + "'");
    const bool name_fits = header_length >= name.size() + 1 && std::memcmp(header + 1, name.data(), name.size()) == 0 &&
                           (header_length == name.size() + 1 || std::isspace(static_cast<unsigned char>(header[name.size() + 1])));
    if (!name_fits) stale("record '" + name + "' has another header in the file");
    header_at.emplace(name, expected_header);
    // The end of the record: full lines, then a partial one, each with its line end.
    const std::uint64_t full_lines = e.line_bases ? e.length / e.line_bases : 0;
    const std::uint64_t rest = e.line_bases ? e.length % e.line_bases : 0;
    std::uint64_t end = 0;
    if (__builtin_mul_overflow(full_lines, e.line_bytes, &end) || __builtin_add_overflow(end, e.offset, &end) ||
        __builtin_add_overflow(end, rest ? rest + (e.line_bytes - e.line_bases) : 0, &end))
      stale("record '" + name + "' runs past the end of the file");
    if (end > mapped_size_ + (e.line_bytes - e.line_bases)) stale("record '" + name + "' runs past the end of the file");
    end = std::min(end, mapped_size_);  // the last line may lack its newline
    if (end > e.offset && mapped_[end - 1] != '\n' && end != mapped_size_)
      stale("a line of record '" + name + "' is not where the index says");
    // Blank lines may follow a record; anything else must be the next header.
    while (end < mapped_size_ && (mapped_[end] == '\n' || mapped_[end] == '\r')) ++end;
    expected_header = end;
  }
  expected_header = skip_empty_records(expected_header, mapped_size_, header_at, duplicate);
  if (expected_header < mapped_size_) {
    const char* header = mapped_ + expected_header;
    if (*header == '>') {
      const char* stop = std::find_if(header + 1, mapped_ + mapped_size_,
                                      [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
      std::string seen(header + 1, static_cast<std::size_t>(stop - (header + 1)));
      auto first = header_at.find(seen);
      if (first != header_at.end()) duplicate(seen, first->second, expected_header);
    }
    stale("the file continues after the last indexed record");
  }
}

// The .fai that fai_load3 has just read or built: "name length offset line_bases line_bytes".
void IndexedFasta::load_fai_entries() {
  std::ifstream in(path_ + ".fai");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    Entry e;
    if (fields >> name >> e.length >> e.offset >> e.line_bases >> e.line_bytes) entries_.emplace(name, e);
  }
  bool same = entries_.size() == names_.size();
  for (const auto& name : names_) same = same && entries_.count(name) != 0;
  if (!same) throw InputError(path_ + ".fai", 0, "index does not match the FASTA; delete it to rebuild it");
}

const IndexedFasta::Entry& IndexedFasta::entry(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) throw InputError(path_, 0, "no sequence named '" + name + "' in the genome");
  return it->second;
}

bool IndexedFasta::contains(const std::string& name) const { return entries_.count(name) != 0; }

std::uint64_t IndexedFasta::length(const std::string& name) const { return entry(name).length; }

std::string IndexedFasta::fetch(const std::string& name, std::uint64_t start, std::uint64_t end) const {
  std::string out;
  fetch_into(name, start, end, out);
  return out;
}

void IndexedFasta::fetch_into(const std::string& name, std::uint64_t start, std::uint64_t end,
                              std::string& out) const {
  const Entry& e = entry(name);
  if (start > end || end > e.length)
    throw InputError(path_, 0,
                     "interval " + name + ":" + std::to_string(start) + "-" + std::to_string(end) +
                         " is outside the sequence (length " + std::to_string(e.length) + ")");
  out.clear();
  if (start == end) return;
  std::string where = name + ":" + std::to_string(start) + "-" + std::to_string(end);
  if (mapped_ != nullptr && e.line_bases > 0) {
    // Copy line pieces straight from the mapped file, skipping the line ends.
    out.resize(end - start);
    std::uint64_t pos = start;
    char* dst = out.data();
    while (pos < end) {
      std::uint64_t in_line = pos % e.line_bases;
      std::uint64_t take = std::min(e.line_bases - in_line, end - pos);
      std::uint64_t offset = e.offset + (pos / e.line_bases) * e.line_bytes + in_line;
      if (offset + take > mapped_size_)
        throw InputError(path_, 0, "cannot read " + where + ": the file is shorter than its .fai index says "
                                   "(delete the index to rebuild it)");
      if (const void* nul = std::memchr(mapped_ + offset, '\0', take))
        throw InputError(path_, line_of(static_cast<std::uint64_t>(static_cast<const char*>(nul) - mapped_)),
                         "NUL byte in the sequence of '" + name + "'");
      std::memcpy(dst, mapped_ + offset, take);
      dst += take;
      pos += take;
    }
    return;
  }
  hts_pos_t got = 0;
  char* seq = faidx_fetch_seq64(as_fai(fai_), name.c_str(), static_cast<hts_pos_t>(start),
                                static_cast<hts_pos_t>(end) - 1, &got);
  if (seq == nullptr || got != static_cast<hts_pos_t>(end - start)) {
    std::free(seq);
    throw InputError(path_, 0, "cannot read " + where +
                                   " (the file does not match its .fai index; delete the index to rebuild it)");
  }
  out.assign(seq, static_cast<std::size_t>(got));
  std::free(seq);
  if (out.find('\0') != std::string::npos) throw InputError(path_, 0, "NUL byte in the sequence of " + where);
}

}  // namespace genobird::io
