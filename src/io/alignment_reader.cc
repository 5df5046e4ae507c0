#include "io/alignment_reader.h"

#include <htslib/hts.h>
#include <htslib/sam.h>

#include <algorithm>
#include <cctype>

#include "io/indexed_fasta.h"
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
  if (format->format == cram && !options_.reference.empty()) {
    try {
      check_cram_reference();
    } catch (...) {
      close();
      throw;
    }
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
    if (rc < -1) {
      // htslib refuses a CRAM slice whose reference bases do not match the MD5 it stores; say so.
      if (hts_get_format(as_file(file_))->format == cram) explain_cram_failure();
      throw InputError(path_, 0, "record " + std::to_string(count_) + ": truncated or corrupt record");
    }
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
    if (length == 0)
      throw InputError(path_, 0, "record " + std::to_string(count_) + " ('" + read.name +
                                     "'): no sequence (SEQ is '*'); a read without bases cannot be written");
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

// Every @SQ of the CRAM must be in the reference with its length; otherwise htslib would look the
// sequence up elsewhere (REF_PATH, the network) or decode against the wrong bases.
void AlignmentReader::check_cram_reference() const {
  IndexedFasta reference(options_.reference);
  sam_hdr_t* header = as_header(header_);
  for (int tid = 0; tid < sam_hdr_nref(header); ++tid) {
    const std::string name = sam_hdr_tid2name(header, tid);
    if (!reference.contains(name))
      throw InputError(options_.reference, 0, "has no sequence '" + name + "', which " + path_ +
                                                  " was compressed against (@SQ); is this the CRAM's reference?");
    const auto length = static_cast<std::uint64_t>(sam_hdr_tid2len(header, tid));
    if (reference.length(name) != length)
      throw InputError(options_.reference, 0, "sequence '" + name + "' has " + std::to_string(reference.length(name)) +
                                                  " bases, but " + path_ + " was compressed against one of " +
                                                  std::to_string(length) + " (@SQ LN); is this the CRAM's reference?");
  }
}

// Called when a CRAM record cannot be decoded: throws the reference mismatch, if that is the cause.
void AlignmentReader::explain_cram_failure() const {
  if (options_.reference.empty()) return;
  IndexedFasta reference(options_.reference);
  sam_hdr_t* header = as_header(header_);
  for (int tid = 0; tid < sam_hdr_nref(header); ++tid) {
    const std::string name = sam_hdr_tid2name(header, tid);
    kstring_t m5 = KS_INITIALIZE;
    const bool has_m5 = sam_hdr_find_tag_id(header, "SQ", "SN", name.c_str(), "M5", &m5) == 0;
    const std::string expected = has_m5 ? std::string(m5.s, m5.l) : "";
    ks_free(&m5);
    if (!has_m5 || !reference.contains(name)) continue;
    std::string bases = reference.fetch(name, 0, reference.length(name));
    for (char& c : bases) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    hts_md5_context* md5 = hts_md5_init();
    if (md5 == nullptr) return;
    hts_md5_update(md5, bases.data(), static_cast<unsigned long>(bases.size()));
    unsigned char digest[16];
    hts_md5_final(digest, md5);
    hts_md5_destroy(md5);
    char hex[33];
    hts_md5_hex(hex, digest);
    if (expected != hex)
      throw InputError(options_.reference, 0, "sequence '" + name + "' has MD5 " + hex + ", but " + path_ +
                                                  " was compressed against MD5 " + expected +
                                                  " (@SQ M5): wrong reference; give the one the CRAM was made with");
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
