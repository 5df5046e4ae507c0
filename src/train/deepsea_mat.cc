#include "train/deepsea_mat.h"

#include <matio.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "util/error.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::train {
namespace {

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
  MatVar x, y;
  while (matvar_t* info = Mat_VarReadNextInfo(mat.get())) {
    MatVar var(info);
    std::string name = var->name ? var->name : "";
    if (ends_with(name, "xdata") && !x) x = std::move(var);
    else if (ends_with(name, "data") && !ends_with(name, "xdata") && !y) y = std::move(var);
  }
  if (!x || !y) throw FormatError(path + ": expected a '*xdata' and a '*data' variable (DeepSEA bundle layout)");
  if (x->rank != 3 || y->rank != 2)
    throw FormatError(path + ": expected " + x->name + " with 3 dimensions and " + y->name + " with 2, found " +
                      shape_text(x.get()) + " and " + shape_text(y.get()));
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

  LabelledDataset dataset;
  dataset.task = "chromatin";
  dataset.label_names = deepsea_label_names(static_cast<std::size_t>(num_labels));
  const int total = max_examples > 0 ? std::min<int>(n, static_cast<int>(max_examples)) : n;
  constexpr int kChunk = 4096;  // examples read per slab: 4096 x 4000 doubles = 128 MB at 1000 bp
  std::vector<std::uint8_t> row(static_cast<std::size_t>(num_labels));
  static const char kBases[4] = {'A', 'C', 'G', 'T'};
  for (int first = 0; first < total; first += kChunk) {
    const int count = std::min(kChunk, total - first);
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
