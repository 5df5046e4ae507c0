#include "io/indexed_fasta.h"

#include <htslib/faidx.h>
#include <htslib/hts.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "util/error.h"

namespace genobird::io {
namespace {
faidx_t* as_fai(void* p) { return static_cast<faidx_t*>(p); }

// Why an index could not be loaded or built, for the error message.
std::string diagnose(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot open file";
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  if (in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    htsFile* f = hts_open(path.c_str(), "r");
    bool bgzf = f != nullptr && hts_get_format(f)->compression == bgzf;
    if (f != nullptr) hts_close(f);
    if (!bgzf)
      return "compressed with plain gzip, which cannot be indexed; recompress it with 'bgzip' "
             "(zcat FILE | bgzip > FILE.bgz)";
    return "cannot build the .fai/.gzi index (is the folder writable? is the file a FASTA?)";
  }
  return "cannot build or read the .fai index (is it a FASTA file with equal-length lines per record, "
         "and is the folder writable?)";
}
}  // namespace

IndexedFasta::IndexedFasta(const std::string& path) : path_(path) {
  faidx_t* fai = fai_load3(path.c_str(), nullptr, nullptr, FAI_CREATE | FAI_CACHE);
  if (fai == nullptr) throw InputError(path, 0, diagnose(path));
  fai_ = fai;
  int n = faidx_nseq(fai);
  names_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) names_.emplace_back(faidx_iseq(fai, i));
}

IndexedFasta::~IndexedFasta() {
  if (fai_ != nullptr) fai_destroy(as_fai(fai_));
}

bool IndexedFasta::contains(const std::string& name) const { return faidx_has_seq(as_fai(fai_), name.c_str()) != 0; }

std::uint64_t IndexedFasta::length(const std::string& name) const {
  if (!contains(name)) throw InputError(path_, 0, "no sequence named '" + name + "' in the genome");
  return static_cast<std::uint64_t>(faidx_seq_len(as_fai(fai_), name.c_str()));
}

std::string IndexedFasta::fetch(const std::string& name, std::uint64_t start, std::uint64_t end) const {
  std::string out;
  fetch_into(name, start, end, out);
  return out;
}

void IndexedFasta::fetch_into(const std::string& name, std::uint64_t start, std::uint64_t end,
                              std::string& out) const {
  std::uint64_t total = length(name);
  if (start > end || end > total)
    throw InputError(path_, 0,
                     "interval " + name + ":" + std::to_string(start) + "-" + std::to_string(end) +
                         " is outside the sequence (length " + std::to_string(total) + ")");
  out.clear();
  if (start == end) return;
  hts_pos_t got = 0;
  char* seq = faidx_fetch_seq64(as_fai(fai_), name.c_str(), static_cast<hts_pos_t>(start),
                                static_cast<hts_pos_t>(end) - 1, &got);
  if (seq == nullptr || got != static_cast<hts_pos_t>(end - start)) {
    std::free(seq);
    throw InputError(path_, 0, "cannot read " + name + ":" + std::to_string(start) + "-" + std::to_string(end) +
                                   " (the file does not match its .fai index; delete the index to rebuild it)");
  }
  out.assign(seq, static_cast<std::size_t>(got));
  std::free(seq);
}

}  // namespace genobird::io
