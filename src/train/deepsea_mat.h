// Reader of the public DeepSEA bundle (Zhou & Troyanskaya 2015): train.mat is MATLAB v7.3 (HDF5),
// valid.mat and test.mat MATLAB v5; matio reads both.
//
// Each file holds a one-hot sequence array named "*xdata" and a label array named "*data":
//   train.mat  trainxdata [1000, 4, N]  traindata [919, N]
//   valid.mat  validxdata [N, 4, 1000]  validdata [N, 919]      (test.mat alike)
// The sample axis is found from the shapes (the axis the two arrays share; the base axis has length 4),
// so either layout is read. One-hot rows are A, C, G, T; a position with no base set is N. Any numeric
// class is accepted (DeepSEA stores uint8); a nonzero value counts as 1.
// With 919 labels, names follow the bundle's documented order: 125 DNase I hypersensitivity profiles
// ("DNase:1".."DNase:125"), 690 TF binding profiles ("TF:126".."TF:815"), 104 histone marks
// ("HM:816".."HM:919"), so that summaries group as in the paper; any other count is "profile_1"...
// Errors: FormatError for a file matio cannot open or arrays of unexpected shape, naming the file.
// Memory: the whole file is loaded (train.mat holds 4.4 M examples: about 8.5 GB in this form).
#pragma once

#include <string>

#include "train/labelled_data.h"

namespace genobird::train {

// Reads a DeepSEA .mat file into a dataset with task "chromatin" (no coordinates: chrom ".").
// `max_examples` > 0 stops after that many examples.
LabelledDataset read_deepsea_mat(const std::string& path, std::size_t max_examples = 0);

// Label names for `count` DeepSEA profiles, as described above.
std::vector<std::string> deepsea_label_names(std::size_t count);

}  // namespace genobird::train
