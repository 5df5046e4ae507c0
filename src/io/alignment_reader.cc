#include "io/alignment_reader.h"

#include <htslib/hts.h>
#include <htslib/sam.h>

#include <algorithm>

#include "io/sequence.h"
#include "util/error.h"

namespace genobird::io {
namespace {
samFile* as_file(void* p) { return static_cast<samFile*>(p); }
sam_hdr_t* as_header(void* p) { return static_cast<sam_hdr_t*>(p); }
bam1_t* as_record(void* p) { return static_cast<bam1_t*>(p); }
}  // namespace

AlignmentReader::AlignmentReader(const std::string& path, AlignmentReaderOptions options)
    : path_(path), options_(std::move(options)) {
  samFile* file = sam_open(path.c_str(), "r");
  if (file == nullptr) throw InputError(path, 0, with_errno("cannot open alignment file"));
  file_ = file;
  const htsFormat* format = hts_get_format(file);
  if (format->category != sequence_data || (format->format != sam && format->format != bam && format->format != cram)) {
    close();
    throw InputError(path, 0, std::string("not a SAM, BAM or CRAM file (found ") + hts_format_file_extension(format) + ")");
  }
  if (!options_.reference.empty()) {
    if (hts_set_fai_filename(file, options_.reference.c_str()) != 0) {
      close();
      throw InputError(options_.reference, 0, "cannot use as CRAM reference");
    }
  }
  if (options_.threads > 1) hts_set_threads(file, options_.threads);
  header_ = sam_hdr_read(file);
  if (header_ == nullptr) {
    close();
    throw InputError(path, 0, "cannot read the SAM/BAM/CRAM header (truncated or corrupt file?)");
  }
  record_ = bam_init1();
  if (!options_.region.empty()) {
    hts_idx_t* index = sam_index_load(file, path.c_str());
    if (index == nullptr) {
      close();
      throw InputError(path, 0, "reading region '" + options_.region + "' needs an index; run 'samtools index " + path + "'");
    }
    index_ = index;
    hts_itr_t* iter = sam_itr_querys(index, as_header(header_), options_.region.c_str());
    if (iter == nullptr) {
      close();
      throw InputError(path, 0, "unknown or malformed region '" + options_.region + "' (expected CHR, CHR:START-END, 1-based)");
    }
    iter_ = iter;
  }
}

AlignmentReader::~AlignmentReader() { close(); }

void AlignmentReader::close() noexcept {
  if (iter_ != nullptr) hts_itr_destroy(static_cast<hts_itr_t*>(iter_));
  if (index_ != nullptr) hts_idx_destroy(static_cast<hts_idx_t*>(index_));
  if (record_ != nullptr) bam_destroy1(as_record(record_));
  if (header_ != nullptr) sam_hdr_destroy(as_header(header_));
  if (file_ != nullptr) sam_close(as_file(file_));
  iter_ = index_ = record_ = header_ = file_ = nullptr;
}

bool AlignmentReader::next(ReadRecord& read) {
  bam1_t* b = as_record(record_);
  for (;;) {
    int rc = iter_ != nullptr ? sam_itr_next(as_file(file_), static_cast<hts_itr_t*>(iter_), b)
                              : sam_read1(as_file(file_), as_header(header_), b);
    if (rc == -1) return false;
    ++count_;
    if (rc < -1)
      throw InputError(path_, 0, "record " + std::to_string(count_) + ": truncated or corrupt record");
    const std::uint16_t flag = b->core.flag;
    if ((flag & options_.exclude_flags) != 0) continue;
    if ((flag & options_.require_flags) != options_.require_flags) continue;
    if (b->core.qual < options_.min_mapq) continue;

    read.name.assign(bam_get_qname(b));
    read.flag = flag;
    read.mapq = b->core.qual;
    read.record = count_;
    read.chrom = b->core.tid >= 0 ? sam_hdr_tid2name(as_header(header_), b->core.tid) : "";
    read.pos = b->core.tid >= 0 ? b->core.pos : -1;
    const int length = b->core.l_qseq;
    read.seq.resize(static_cast<std::size_t>(length));
    const std::uint8_t* seq = bam_get_seq(b);
    for (int i = 0; i < length; ++i) read.seq[static_cast<std::size_t>(i)] = seq_nt16_str[bam_seqi(seq, i)];
    const std::uint8_t* qual = bam_get_qual(b);
    if (length > 0 && qual[0] != 0xff) {
      read.qual.resize(static_cast<std::size_t>(length));
      for (int i = 0; i < length; ++i) read.qual[static_cast<std::size_t>(i)] = static_cast<char>(qual[i] + 33);
    } else {
      read.qual.clear();
    }
    if (options_.original_orientation && (flag & BAM_FREVERSE) != 0) {
      reverse_complement_inplace(read.seq);
      std::reverse(read.qual.begin(), read.qual.end());
    }
    return true;
  }
}

bool is_alignment_file(const std::string& path) {
  htsFile* f = hts_open(path.c_str(), "r");
  if (f == nullptr) return false;
  const htsFormat* format = hts_get_format(f);
  bool alignment = format->format == sam || format->format == bam || format->format == cram;
  hts_close(f);
  return alignment;
}

}  // namespace genobird::io
