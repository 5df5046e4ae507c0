#include "train/deepsea_mat.h"

#include <matio.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <vector>

#include "util/error.h"
#include "util/limits.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::train {
namespace {

constexpr std::uint32_t kMiMatrix = 14;      // MATLAB v5 data types of a matrix element,
constexpr std::uint32_t kMiCompressed = 15;  // and of a zlib-compressed one
// zlib's deflate shrinks data at most ~1032-fold, so no compressed variable holds more than this many
// times its stored bytes.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

struct MatCloser {
  void operator()(mat_t* mat) const { Mat_Close(mat); }
};
struct VarFreer {
  void operator()(matvar_t* var) const { Mat_VarFree(var); }
};
using MatFile = std::unique_ptr<mat_t, MatCloser>;
using MatVar = std::unique_ptr<matvar_t, VarFreer>;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shape_text(const matvar_t* var) {
  std::string text = "[";
  for (int i = 0; i < var->rank; ++i) text += (i ? ", " : "") + std::to_string(var->dims[i]);
  return text + "]";
}

// Reads the hyper-slab [start, start + edge) of `var` as doubles (matio converts from the stored class).
std::vector<double> read_slab(mat_t* mat, matvar_t* var, std::vector<int> start, std::vector<int> edge,
                              const std::string& path) {
  std::size_t count = 1;
  for (int e : edge) count *= static_cast<std::size_t>(e);
  std::vector<double> data(count);
  std::vector<int> stride(edge.size(), 1);
  const matio_classes stored = var->class_type;
  var->class_type = MAT_C_DOUBLE;
  int status = Mat_VarReadData(mat, var, data.data(), start.data(), stride.data(), edge.data());
  var->class_type = stored;
  if (status != 0) throw FormatError(path + ": matio could not read variable '" + var->name + "'");
  return data;
}

// Bytes of data `var` declares (the product of its dimensions x the size of its class); 0 on overflow.
std::uint64_t declared_bytes(const matvar_t* var) {
  std::uint64_t bytes = Mat_SizeOfClass(var->class_type);
  for (int i = 0; i < var->rank; ++i)
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(var->dims[i]), &bytes)) return 0;
  return bytes;
}

std::uint64_t file_size(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) throw IoError("cannot read " + path + ": " + error.message());
  return size;
}

// Checks the sub-elements that open a matrix element (array flags, dimensions, name: `bytes` of them, the
// whole matrix being `matrix_bytes` long): matio allocates for the dimensions and the name as their tags
// say, before it looks at anything else, so a tag claiming gigabytes inside a small element must be
// refused here. `swapped`: the file is big-endian.
void check_matrix_header(const std::string& path, std::size_t index, const unsigned char* bytes, std::size_t size,
                         std::uint64_t matrix_bytes, bool swapped) {
  auto u32 = [&](const unsigned char* b) {
    return swapped ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3])
                   : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 | b[0]);
  };
  constexpr std::uint64_t kMaxDimensionBytes = 8 * 32;  // 32 dimensions of int32 or int64
  constexpr std::uint64_t kMaxNameBytes = 1 << 16;
  std::uint64_t position = 0;
  for (int sub = 0; sub < 3 && position + 8 <= size; ++sub) {
    std::uint32_t type = u32(bytes + position);
    std::uint64_t length = u32(bytes + position + 4);
    std::uint64_t step = 0;
    // The compact format (length in the upper half, data in the next 4 bytes) is read by matio for the
    // name only; the array flags and dimensions are always read as a full tag, so they are checked as one.
    if (sub == 2 && type >> 16 != 0) {
      length = type >> 16;
      step = 8;
    } else {
      step = 8 + (length + 7) / 8 * 8;
    }
    const std::uint64_t limit = sub == 0 ? 8 : sub == 1 ? kMaxDimensionBytes : kMaxNameBytes;
    if (length > limit || position + step > matrix_bytes)
      throw FormatError(path + ": variable " + std::to_string(index + 1) + ": its " +
                        (sub == 0 ? "array flags" : sub == 1 ? "dimensions" : "name") + " element declares " +
                        std::to_string(length) + " bytes, more than " +
                        (position + step > matrix_bytes ? "the variable holds" : "any MATLAB variable needs") +
                        " (corrupt file)");
    position += step;
  }
}

// Top-level data elements of a MATLAB v5 file: (type, stored bytes) in file order. matio reads a variable
// whose data element is shorter than its dimensions say without complaint (the missing bytes come out as
// whatever follows), and allocates what a corrupt header says, so the structure is checked here first.
std::vector<std::pair<std::uint32_t, std::uint64_t>> v5_elements(const std::string& path, std::uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  unsigned char header[128];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) throw FormatError(path + ": truncated MATLAB header");
  const bool swapped = header[126] == 'M' && header[127] == 'I';
  auto u32 = [&](const unsigned char* b) {
    return swapped ? (std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3])
                   : (std::uint32_t{b[3]} << 24 | std::uint32_t{b[2]} << 16 | std::uint32_t{b[1]} << 8 | b[0]);
  };
  std::vector<std::pair<std::uint32_t, std::uint64_t>> elements;
  std::uint64_t position = 128;
  unsigned char tag[8];
  std::vector<unsigned char> head;
  while (position + 8 <= size) {
    in.seekg(static_cast<std::streamoff>(position));
    if (!in.read(reinterpret_cast<char*>(tag), 8)) break;
    const std::uint32_t type = u32(tag);
    const std::uint64_t bytes = u32(tag + 4);
    if (position + 8 + bytes > size)
      throw FormatError(path + ": data element " + std::to_string(elements.size() + 1) + " declares " +
                        std::to_string(bytes) + " bytes but the file ends after " + std::to_string(size - position - 8) +
                        " (truncated file)");
    // The first bytes of the matrix: as stored, or inflated from the start of the compressed stream.
    constexpr std::size_t kHead = 1 << 12;
    head.assign(static_cast<std::size_t>(std::min<std::uint64_t>(bytes, kHead)), 0);
    if (!in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size())))
      throw FormatError(path + ": truncated file");
    if (type == kMiMatrix) {
      check_matrix_header(path, elements.size(), head.data(), head.size(), bytes, swapped);
    } else if (type == kMiCompressed) {
      std::vector<unsigned char> inflated(kHead);
      z_stream z{};
      if (inflateInit(&z) != Z_OK) throw FormatError(path + ": zlib cannot start");
      z.next_in = head.data();
      z.avail_in = static_cast<uInt>(head.size());
      z.next_out = inflated.data();
      z.avail_out = static_cast<uInt>(inflated.size());
      const int status = inflate(&z, Z_SYNC_FLUSH);
      const std::size_t got = inflated.size() - z.avail_out;
      inflateEnd(&z);
      if ((status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) || got < 8)
        throw FormatError(path + ": data element " + std::to_string(elements.size() + 1) + " is not valid zlib data");
      const std::uint64_t matrix_bytes = u32(inflated.data() + 4);
      if (matrix_bytes > bytes * kMaxDeflateRatio)
        throw FormatError(path + ": variable " + std::to_string(elements.size() + 1) + " declares " +
                          std::to_string(matrix_bytes) + " bytes, more than its " + std::to_string(bytes) +
                          " compressed bytes can hold (corrupt file)");
      if (u32(inflated.data()) == kMiMatrix)
        check_matrix_header(path, elements.size(), inflated.data() + 8, got - 8, matrix_bytes, swapped);
    }
    elements.emplace_back(type, bytes);
    position += 8 + bytes;
    if (type != kMiCompressed) position = (position + 7) / 8 * 8;  // uncompressed elements are 8-byte aligned
  }
  return elements;
}

// Refuses a variable whose declared shape needs more data than the file can hold: `stored` bytes as
// written (uncompressed), or kMaxDeflateRatio times them (compressed).
void check_declared_size(const std::string& path, const matvar_t* var, std::uint64_t stored, bool compressed) {
  const std::uint64_t declared = declared_bytes(var);
  const std::uint64_t room = compressed ? stored * kMaxDeflateRatio : stored;
  if (declared == 0 && var->rank > 0) {
    for (int i = 0; i < var->rank; ++i)
      if (var->dims[i] == 0) return;  // an empty variable
    throw FormatError(path + ": variable '" + var->name + "' declares shape " + shape_text(var) + ", too large to address");
  }
  if (declared > room)
    throw FormatError(path + ": variable '" + var->name + "' declares shape " + shape_text(var) + " (" +
                      std::to_string(declared) + " bytes) but its data holds " +
                      (compressed ? "at most " + std::to_string(room) + " bytes once decompressed"
                                  : "only " + std::to_string(stored) + " bytes") +
                      " (data shorter than its declared shape)");
}

}  // namespace

std::vector<std::string> deepsea_label_names(std::size_t count) {
  std::vector<std::string> names;
  for (std::size_t i = 1; i <= count; ++i) {
    if (count == 919) names.push_back((i <= 125 ? "DNase:" : i <= 815 ? "TF:" : "HM:") + std::to_string(i));
    else names.push_back("profile_" + std::to_string(i));
  }
  return names;
}

LabelledDataset read_deepsea_mat(const std::string& path, std::size_t max_examples) {
  MatFile mat(Mat_Open(path.c_str(), MAT_ACC_RDONLY));
  if (!mat) throw FormatError(path + ": not a MATLAB file matio can open (expected a DeepSEA train/valid/test.mat)");
  // Sizes are checked against the file before matio or this reader allocates anything for them.
  const std::uint64_t size = file_size(path);
  const bool v5 = Mat_GetVersion(mat.get()) == MAT_FT_MAT5;
  const auto elements = v5 ? v5_elements(path, size) : std::vector<std::pair<std::uint32_t, std::uint64_t>>{};
  MatVar x, y;
  std::size_t x_index = 0, y_index = 0, index = 0;
  for (; matvar_t* info = Mat_VarReadNextInfo(mat.get()); ++index) {
    MatVar var(info);
    std::string name = var->name ? var->name : "";
    if (ends_with(name, "xdata") && !x) {
      x = std::move(var);
      x_index = index;
    } else if (ends_with(name, "data") && !ends_with(name, "xdata") && !y) {
      y = std::move(var);
      y_index = index;
    }
  }
  if (!x || !y) throw FormatError(path + ": expected a '*xdata' and a '*data' variable (DeepSEA bundle layout); none readable (not such a file, or truncated)");
  if (v5) {
    for (auto [var, i] : {std::pair<const matvar_t*, std::size_t>{x.get(), x_index}, {y.get(), y_index}}) {
      if (i >= elements.size()) throw FormatError(path + ": variable '" + var->name + "' has no data element (truncated file)");
      check_declared_size(path, var, elements[i].second, elements[i].first == kMiCompressed);
    }
  } else {
    check_declared_size(path, x.get(), size, true);
    check_declared_size(path, y.get(), size, true);
  }
  if (x->rank != 3 || y->rank != 2)
    throw FormatError(path + ": expected " + x->name + " with 3 dimensions and " + y->name + " with 2, found " +
                      shape_text(x.get()) + " and " + shape_text(y.get()));
  for (const matvar_t* var : {x.get(), y.get()})
    for (int i = 0; i < var->rank; ++i)
      if (var->dims[i] > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw FormatError(limits::out_of_range_message(std::to_string(var->dims[i]),
                                                       std::string(var->name) + " dimension " + std::to_string(i + 1), path,
                                                       "max " + std::to_string(std::numeric_limits<int>::max())));
  const int xd[3] = {static_cast<int>(x->dims[0]), static_cast<int>(x->dims[1]), static_cast<int>(x->dims[2])};
  const int yd[2] = {static_cast<int>(y->dims[0]), static_cast<int>(y->dims[1])};
  // Sample axis of x: an outer axis whose length is also a length of y. When both fit (equal lengths),
  // the bundle's own layout decides: samples last in train.mat, first elsewhere.
  const bool train_layout = std::string(x->name).rfind("train", 0) == 0;
  std::vector<int> candidates;
  for (int axis : {0, 2})
    if (xd[axis] == yd[0] || xd[axis] == yd[1]) candidates.push_back(axis);
  if (xd[1] != 4 || candidates.empty())
    throw FormatError(path + ": " + x->name + " " + shape_text(x.get()) + " and " + y->name + " " +
                      shape_text(y.get()) + " do not fit the DeepSEA layout [length, 4, N] / [N, 4, length] with labels [labels, N] / [N, labels]");
  const int x_sample_axis = candidates.size() == 1 ? candidates[0] : (train_layout ? 2 : 0);
  const int n = xd[x_sample_axis];
  const int length = xd[2 - x_sample_axis];
  int y_sample_axis = yd[0] == n && yd[1] == n ? (train_layout ? 1 : 0) : (yd[0] == n ? 0 : 1);
  const int num_labels = yd[1 - y_sample_axis];
  limits::check_range(length, 1, limits::kMaxWindowBp, std::string(x->name) + " sequence length", path);
  limits::check_range(num_labels, 1, limits::kMaxLabels, std::string(y->name) + " label count", path);

  LabelledDataset dataset;
  dataset.task = "chromatin";
  dataset.label_names = deepsea_label_names(static_cast<std::size_t>(num_labels));
  const int total = max_examples > 0 ? std::min<int>(n, static_cast<int>(max_examples)) : n;
  // Examples read per slab: about 128 MB of doubles (4096 examples at 1000 bp), at least one.
  const int chunk = static_cast<int>(std::clamp<std::int64_t>(
      (std::int64_t{16} << 20) / (4 * std::int64_t{length} + num_labels), 1, 4096));
  std::vector<std::uint8_t> row(static_cast<std::size_t>(num_labels));
  static const char kBases[4] = {'A', 'C', 'G', 'T'};
  for (int first = 0; first < total; first += chunk) {
    const int count = std::min(chunk, total - first);
    std::vector<int> x_start = {0, 0, 0}, x_edge = {xd[0], 4, xd[2]};
    x_start[x_sample_axis] = first;
    x_edge[x_sample_axis] = count;
    std::vector<double> xs = read_slab(mat.get(), x.get(), x_start, x_edge, path);
    std::vector<int> y_start = {0, 0}, y_edge = {yd[0], yd[1]};
    y_start[y_sample_axis] = first;
    y_edge[y_sample_axis] = count;
    std::vector<double> ys = read_slab(mat.get(), y.get(), y_start, y_edge, path);
    for (int s = 0; s < count; ++s) {
      LabelledExample e;
      e.name = std::string(x->name).substr(0, std::string(x->name).size() - 5) + "_" + std::to_string(first + s + 1);
      e.sequence.assign(static_cast<std::size_t>(length), 'N');
      for (int p = 0; p < length; ++p) {
        for (int b = 0; b < 4; ++b) {
          // Column-major index of (p, b, s) or (s, b, p) within the slab.
          std::size_t index = x_sample_axis == 2
                                  ? static_cast<std::size_t>(p) + static_cast<std::size_t>(xd[0]) * (b + 4 * static_cast<std::size_t>(s))
                                  : static_cast<std::size_t>(s) + static_cast<std::size_t>(count) * (b + 4 * static_cast<std::size_t>(p));
          if (xs[index] != 0) {
            e.sequence[static_cast<std::size_t>(p)] = kBases[b];
            break;
          }
        }
      }
      for (int l = 0; l < num_labels; ++l) {
        std::size_t index = y_sample_axis == 1 ? static_cast<std::size_t>(l) + static_cast<std::size_t>(num_labels) * s
                                               : static_cast<std::size_t>(s) + static_cast<std::size_t>(count) * l;
        row[static_cast<std::size_t>(l)] = ys[index] != 0;
      }
      dataset.add(std::move(e), row);
    }
  }
  LOG_INFO(path << ": " << count_noun(dataset.size(), "DeepSEA example") << " of " << length << " bp, "
                << count_noun(num_labels, "label"));
  return dataset;
}

}  // namespace genobird::train
