#include "infer/embedding_writer.h"

#include <c10/util/Half.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "util/error.h"
#include "util/output_file.h"

namespace genobird::infer {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// An anonymous scratch file beside an output (same file system, so as much room as the output has): the
// name is removed as soon as it is open, so nothing is left behind whatever happens.
class Spool {
 public:
  explicit Spool(const std::string& beside) : name_(beside) {
    std::vector<char> templ(beside.begin(), beside.end());
    const char suffix[] = ".spool.XXXXXX";
    templ.insert(templ.end(), suffix, suffix + sizeof suffix);
    const int fd = mkstemp(templ.data());
    if (fd < 0) throw IoError(with_errno("cannot create a scratch file beside " + beside));
    ::unlink(templ.data());
    file_ = fdopen(fd, "w+b");
    if (file_ == nullptr) {
      ::close(fd);
      throw IoError(with_errno("cannot open a scratch file beside " + beside));
    }
  }
  ~Spool() { std::fclose(file_); }
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  void write(const void* data, std::size_t size) {
    if (size > 0 && std::fwrite(data, 1, size, file_) != size) throw IoError(with_errno("cannot write beside " + name_));
    size_ += size;
  }
  std::uint64_t size() const { return size_; }

  void copy_to(OutputFile& out) {
    if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
      throw IoError(with_errno("cannot read back the scratch file beside " + name_));
    std::vector<char> buffer(1 << 20);
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), file_)) > 0) out.write(buffer.data(), n);
    if (std::ferror(file_)) throw IoError(with_errno("cannot read back the scratch file beside " + name_));
  }

 private:
  std::string name_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;
};

void spool_values(Spool& spool, const float* values, std::size_t count, bool half) {
  if (!half) {
    spool.write(values, count * sizeof(float));
    return;
  }
  std::vector<std::uint16_t> bits(count);
  for (std::size_t i = 0; i < count; ++i) bits[i] = c10::Half(values[i]).x;
  spool.write(bits.data(), count * sizeof(std::uint16_t));
}

// Header columns and per-row text shared by the TSV output and the .npy's companion.
std::string row_header(const EmbeddingLayout& layout) {
  return layout.record_header + (layout.per_token ? "\ttoken\ttoken_start\ttoken_end" : "");
}

std::string row_prefix(const std::string& columns, const EmbeddingLayout& layout, std::size_t row,
                       const tokenizer::TokenSpan* spans) {
  if (!layout.per_token) return columns;
  return columns + '\t' + std::to_string(row) + '\t' + std::to_string(spans[row].start) + '\t' +
         std::to_string(spans[row].end);
}

class TsvWriter : public EmbeddingWriter {
 public:
  TsvWriter(const std::string& path, const EmbeddingLayout& layout) : layout_(layout), out_(path) {
    std::string header = row_header(layout);
    for (std::int64_t k = 0; k < layout.dim; ++k) header += "\te" + std::to_string(k);
    out_ << header << '\n';
  }
  void add(const std::string& columns, const float* rows, std::size_t row_count,
           const tokenizer::TokenSpan* spans) override {
    std::string text;
    char number[32];
    for (std::size_t r = 0; r < row_count; ++r) {
      text += row_prefix(columns, layout_, r, spans);
      for (std::int64_t k = 0; k < layout_.dim; ++k) {
        std::snprintf(number, sizeof number, "\t%.7g", static_cast<double>(rows[r * static_cast<std::size_t>(layout_.dim) + static_cast<std::size_t>(k)]));
        text += number;
      }
      text += '\n';
    }
    out_ << text;
  }
  void commit() override { out_.commit(); }

 private:
  EmbeddingLayout layout_;
  OutputFile out_;
};

class NpyWriter : public EmbeddingWriter {
 public:
  NpyWriter(const std::string& path, const EmbeddingLayout& layout)
      : path_(path), layout_(layout), data_(path), companion_(npy_companion_path(path)) {
    companion_ << row_header(layout) << '\n';
  }
  void add(const std::string& columns, const float* rows, std::size_t row_count,
           const tokenizer::TokenSpan* spans) override {
    spool_values(data_, rows, row_count * static_cast<std::size_t>(layout_.dim), layout_.half);
    std::string text;
    for (std::size_t r = 0; r < row_count; ++r) text += row_prefix(columns, layout_, r, spans) + '\n';
    companion_ << text;
    rows_ += row_count;
  }
  void commit() override {
    // NumPy format 1.0: magic, version, a little-endian uint16 header length, then a Python dict literal
    // padded with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes.
    std::string dict = std::string("{'descr': '") + (layout_.half ? "<f2" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(rows_) + ", " +
                       std::to_string(layout_.dim) + "), }";
    const std::size_t prefix = 10;
    std::size_t total = prefix + dict.size() + 1;
    total = (total + 63) / 64 * 64;
    dict.append(total - prefix - dict.size() - 1, ' ');
    dict += '\n';
    const auto length = static_cast<std::uint16_t>(dict.size());
    OutputFile out(path_);
    out.write("\x93NUMPY\x01\x00", 8);
    const char length_bytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out.write(length_bytes, 2);
    out << dict;
    data_.copy_to(out);
    out.commit();
    companion_.commit();
  }

 private:
  std::string path_;
  EmbeddingLayout layout_;
  Spool data_;
  OutputFile companion_;
  std::uint64_t rows_ = 0;
};

class SafetensorsWriter : public EmbeddingWriter {
 public:
  SafetensorsWriter(const std::string& path, const EmbeddingLayout& layout)
      : path_(path), layout_(layout), values_(path), records_(path), offsets_(path), spans_(path) {
    const std::string header = layout.record_header + '\n';
    records_.write(header.data(), header.size());
    const std::int64_t zero = 0;
    offsets_.write(&zero, sizeof zero);
  }
  void add(const std::string& columns, const float* rows, std::size_t row_count,
           const tokenizer::TokenSpan* spans) override {
    spool_values(values_, rows, row_count * static_cast<std::size_t>(layout_.dim), layout_.half);
    const std::string line = columns + '\n';
    records_.write(line.data(), line.size());
    rows_ += row_count;
    ++records_count_;
    const auto end = static_cast<std::int64_t>(rows_);
    offsets_.write(&end, sizeof end);
    if (layout_.per_token) {
      std::vector<std::int64_t> pairs;
      pairs.reserve(2 * row_count);
      for (std::size_t r = 0; r < row_count; ++r) {
        pairs.push_back(static_cast<std::int64_t>(spans[r].start));
        pairs.push_back(static_cast<std::int64_t>(spans[r].end));
      }
      spans_.write(pairs.data(), pairs.size() * sizeof(std::int64_t));
    }
  }
  void commit() override {
    // safetensors: an 8-byte little-endian header length, the JSON header (padded with spaces to 8 bytes),
    // then the tensors' bytes, which the data_offsets of the header tile exactly.
    nlohmann::json header = nlohmann::json::object();
    std::uint64_t offset = 0;
    std::vector<Spool*> order;
    auto place = [&](const char* name, const char* dtype, std::vector<std::uint64_t> shape, Spool& spool) {
      header[name] = {{"dtype", dtype}, {"shape", shape}, {"data_offsets", {offset, offset + spool.size()}}};
      offset += spool.size();
      order.push_back(&spool);
    };
    place("embeddings", layout_.half ? "F16" : "F32", {rows_, static_cast<std::uint64_t>(layout_.dim)}, values_);
    place("records", "U8", {records_.size()}, records_);
    if (layout_.per_token) {
      place("offsets", "I64", {records_count_ + 1}, offsets_);
      place("token_spans", "I64", {rows_, 2}, spans_);
    }
    header["__metadata__"] = layout_.metadata;
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const std::uint64_t length = text.size();
    char length_bytes[8];
    for (int i = 0; i < 8; ++i) length_bytes[i] = static_cast<char>((length >> (8 * i)) & 0xff);
    OutputFile out(path_);
    out.write(length_bytes, 8);
    out << text;
    for (Spool* spool : order) spool->copy_to(out);
    out.commit();
  }

 private:
  std::string path_;
  EmbeddingLayout layout_;
  Spool values_, records_, offsets_, spans_;
  std::uint64_t rows_ = 0;
  std::uint64_t records_count_ = 0;
};

}  // namespace

std::string npy_companion_path(const std::string& npy_path) {
  return npy_path.substr(0, npy_path.size() - 4) + ".tsv";
}

std::unique_ptr<EmbeddingWriter> open_embedding_writer(const std::string& path, const EmbeddingLayout& layout) {
  if (ends_with(path, ".npy")) return std::make_unique<NpyWriter>(path, layout);
  if (ends_with(path, ".safetensors")) return std::make_unique<SafetensorsWriter>(path, layout);
  if (layout.half) throw UsageError("--half needs .npy or .safetensors output (TSV is written as text)");
  return std::make_unique<TsvWriter>(path, layout);
}

}  // namespace genobird::infer
