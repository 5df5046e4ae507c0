#include "io/vcf.h"

#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <cstdlib>
#include <vector>

#include "util/error.h"
#include "util/temp_file.h"
#include "util/log.h"

namespace genobird::io {

bool is_symbolic_allele(const std::string& allele) {
  if (allele.empty()) return true;
  for (char c : allele) {
    switch (c) {
      case 'A': case 'C': case 'G': case 'T': case 'N': case 'a': case 'c': case 'g': case 't': case 'n':
        break;
      default:
        return true;
    }
  }
  return false;
}

bool is_vcf_path(const std::string& path) {
  auto ends_with = [&](const char* suffix) {
    const std::string s(suffix);
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends_with(".vcf") || ends_with(".vcf.gz") || ends_with(".vcf.bgz") || ends_with(".bcf");
}

struct VcfReader::State {
  htsFile* file = nullptr;
  bcf_hdr_t* header = nullptr;
  bool text = false;              // VCF (plain or bgzip), not BCF
  hts_idx_t* bcf_index = nullptr;
  tbx_t* tabix = nullptr;
  hts_itr_t* iterator = nullptr;
  bool region_empty = false;      // the region's chromosome has no records (not in the index)
  kstring_t line = {0, 0, nullptr};
  bool have_pending = false;      // `line` holds the first record line, read while parsing the header
  std::uint64_t line_number = 0;  // lines read so far (text VCF read whole)
  std::uint64_t ordinal = 0;

  ~State() {
    if (iterator) hts_itr_destroy(iterator);
    if (tabix) tbx_destroy(tabix);
    if (bcf_index) hts_idx_destroy(bcf_index);
    if (header) bcf_hdr_destroy(header);
    if (file) hts_close(file);
    free(line.s);
  }
};

VcfReader::VcfReader(const std::string& path, const std::string& region) : path_(path), state_(std::make_unique<State>()) {
  State& s = *state_;
  s.file = hts_open(path.c_str(), "r");
  if (!s.file) throw IoError(with_errno("cannot open " + display_name(path)));
  const htsFormat* format = hts_get_format(s.file);
  if (format->category != variant_data || (format->format != vcf && format->format != bcf))
    throw FormatError(display_name(path) + " is not a VCF or BCF file (htslib detects: " + hts_format_description(format) + ")");
  s.text = format->format == vcf;
  if (s.text) {
    // The header is read here, line by line, so that record lines can be numbered for error messages.
    std::string text;
    for (;;) {
      const int got = hts_getline(s.file, KS_SEP_LINE, &s.line);
      if (got < -1) throw InputError(path, s.line_number + 1, "cannot be read (corrupt compression?)");
      if (got == -1) break;
      ++s.line_number;
      if (s.line.l > 0 && s.line.s[0] == '#') {
        text.append(s.line.s, s.line.l).push_back('\n');
        continue;
      }
      s.have_pending = true;
      break;
    }
    if (text.rfind("##fileformat=VCF", 0) != 0)
      throw InputError(path, 1, "does not start with ##fileformat=VCF (not a VCF file)");
    if (text.find("\n#CHROM") == std::string::npos) throw InputError(path, s.line_number, "the header has no #CHROM line");
    s.header = bcf_hdr_init("r");
    if (!s.header || bcf_hdr_parse(s.header, text.data()) != 0)
      throw InputError(path, 0, "htslib cannot parse the VCF header");
  } else {
    s.header = bcf_hdr_read(s.file);
    if (!s.header) throw InputError(path, 0, "htslib cannot read the BCF header");
  }
  if (region.empty()) return;

  if (path == "-") throw UsageError("--region needs an indexed file, not stdin");
  if (s.text) {
    s.tabix = tbx_index_load(path.c_str());
    if (!s.tabix)
      throw InputError(path, 0, "--region needs an index (.tbi or .csi) beside the bgzip VCF: bcftools index -t " + path);
    s.iterator = tbx_itr_querys(s.tabix, region.c_str());
  } else {
    s.bcf_index = bcf_index_load(path.c_str());
    if (!s.bcf_index) throw InputError(path, 0, "--region needs an index (.csi) beside the BCF: bcftools index " + path);
    s.iterator = bcf_itr_querys(s.bcf_index, s.header, region.c_str());
  }
  if (!s.iterator) {
    // htslib answers NULL both for a malformed region and for a chromosome without records in the index.
    hts_pos_t begin = 0, end = 0;
    if (!hts_parse_reg64(region.c_str(), &begin, &end)) throw UsageError("--region \"" + region + "\" is not CHR[:START-END]");
    LOG_WARN("--region " << region << ": no records of that chromosome in " << path);
    s.region_empty = true;
  }
  s.have_pending = false;
  s.line_number = 0;
}

VcfReader::~VcfReader() = default;

bool VcfReader::next(VcfRecord& record) {
  State& s = *state_;
  if (s.region_empty) return false;
  bcf1_t* raw = bcf_init();
  std::shared_ptr<bcf1_t> owned(raw, bcf_destroy);
  record.line = 0;
  record.ordinal = s.ordinal + 1;
  if (s.text) {
    for (;;) {
      if (s.have_pending) {
        s.have_pending = false;
      } else {
        const int got = s.iterator ? tbx_itr_next(s.file, s.tabix, s.iterator, &s.line)
                                   : hts_getline(s.file, KS_SEP_LINE, &s.line);
        if (got == -1) return false;
        if (got < -1) throw InputError(path_, s.iterator ? 0 : s.line_number + 1, "cannot be read (corrupt compression?)");
        if (!s.iterator) ++s.line_number;
      }
      if (s.line.l == 0) continue;  // blank line
      break;
    }
    if (!s.iterator) record.line = s.line_number;
    // htslib fills the columns a short line lacks with missing values; a record cut short is an error here.
    const std::size_t columns = 1 + static_cast<std::size_t>(std::count(s.line.s, s.line.s + s.line.l, '\t'));
    if (columns < 8)
      throw InputError(path_, record.line,
                       (record.line ? "" : "record " + std::to_string(record.ordinal) + ": ") + "has " +
                           std::to_string(columns) + " tab-separated columns, a VCF record needs at least 8");
    // A contig or tag missing from the header is only a warning (htslib adds it), as in bcftools.
    if (vcf_parse(&s.line, s.header, raw) != 0 || (raw->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) != 0) {
      std::string text(s.line.s, std::min<std::size_t>(s.line.l, 60));
      throw InputError(path_, record.line,
                       (record.line ? "" : "record " + std::to_string(record.ordinal) + ": ") +
                           "not a valid VCF record (" + text + (s.line.l > 60 ? "..." : "") + ")");
    }
  } else {
    const int got = s.iterator ? bcf_itr_next(s.file, s.iterator, raw) : bcf_read(s.file, s.header, raw);
    if (got == -1) return false;
    if (got < -1 || (raw->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) != 0)
      throw InputError(path_, 0, "record " + std::to_string(record.ordinal) + " cannot be decoded (corrupt BCF?)");
  }
  bcf_unpack(raw, BCF_UN_STR);
  ++s.ordinal;
  const char* chrom = bcf_seqname(s.header, raw);
  record.chrom = chrom ? chrom : "";
  record.pos = static_cast<std::uint64_t>(raw->pos);
  record.id = raw->d.id ? raw->d.id : ".";
  record.ref = raw->n_allele > 0 ? raw->d.allele[0] : "";
  record.alts.clear();
  for (int a = 1; a < raw->n_allele; ++a) record.alts.emplace_back(raw->d.allele[a]);
  record.raw = std::move(owned);
  return true;
}

std::string VcfReader::where(const VcfRecord& record) {
  if (record.line > 0) return "line " + std::to_string(record.line);
  return "record " + std::to_string(record.ordinal) + " (" + record.chrom + ":" + std::to_string(record.pos + 1) + ")";
}

void VcfReader::fail(const VcfRecord& record, const std::string& what) const {
  if (record.line > 0) throw InputError(path_, record.line, what);
  throw InputError(path_, 0, where(record) + ": " + what);
}

struct VcfWriter::State {
  htsFile* file = nullptr;
  bcf_hdr_t* header = nullptr;
  std::optional<TempFileBeside> temp;  // none for stdout
  std::vector<std::string> ids;

  ~State() {
    if (file) hts_close(file);
    if (header) bcf_hdr_destroy(header);
  }
};

VcfWriter::VcfWriter(const std::string& path, const VcfReader& source, const std::vector<InfoField>& fields)
    : path_(path), state_(std::make_unique<State>()) {
  State& s = *state_;
  auto ends_with = [&](const char* suffix) {
    const std::string t(suffix);
    return path.size() >= t.size() && path.compare(path.size() - t.size(), t.size(), t) == 0;
  };
  const char* mode = ends_with(".bcf") ? "wb" : (ends_with(".gz") || ends_with(".bgz")) ? "wz" : "w";
  std::string open_path = "-";
  if (!path.empty() && path != "-") {
    s.temp.emplace(path);
    open_path = s.temp->temp_path();
  }
  s.file = hts_open(open_path.c_str(), mode);
  if (!s.file) throw IoError(with_errno("cannot write " + display_name(path)));
  s.header = bcf_hdr_dup(source.state_->header);
  for (const auto& field : fields) {
    const std::string line = "##INFO=<ID=" + field.id + ",Number=A,Type=Float,Description=\"" + field.description + "\">";
    if (bcf_hdr_append(s.header, line.c_str()) != 0) throw Error("htslib refused the header line " + line);
    s.ids.push_back(field.id);
  }
  if (bcf_hdr_sync(s.header) != 0 || bcf_hdr_write(s.file, s.header) != 0)
    throw IoError(with_errno("cannot write the header of " + display_name(path)));
}

VcfWriter::~VcfWriter() = default;

void VcfWriter::write(const VcfRecord& record, const std::vector<std::vector<float>>& values) {
  State& s = *state_;
  bcf1_t* raw = record.raw.get();
  std::vector<float> buffer;
  for (std::size_t f = 0; f < values.size() && f < s.ids.size(); ++f) {
    if (values[f].empty()) continue;
    buffer.assign(values[f].begin(), values[f].end());
    for (float& v : buffer)
      if (std::isnan(v)) bcf_float_set_missing(v);
    if (bcf_update_info_float(s.header, raw, s.ids[f].c_str(), buffer.data(), static_cast<int>(buffer.size())) != 0)
      throw Error("htslib cannot set INFO/" + s.ids[f] + " at " + record.chrom + ":" + std::to_string(record.pos + 1));
  }
  if (bcf_write(s.file, s.header, raw) != 0) throw IoError(with_errno("cannot write " + display_name(path_)));
}

void VcfWriter::commit() {
  State& s = *state_;
  const int closed = hts_close(s.file);
  s.file = nullptr;
  if (closed != 0) throw IoError(with_errno("cannot finish " + display_name(path_)));
  if (s.temp) s.temp->commit();
}

}  // namespace genobird::io
