// bench_deepsea_cnn: the CNN peer of the chromatin-profile benchmark — DeepSEA's network (deepsea_net.h)
// trained in libtorch on the training bins of a `genobird make-dataset chromatin` dataset and scored on its
// test bins, as genobird's chromatin head is.
//
// Training: binary cross-entropy over all labels, Adam, mini-batches drawn from a seeded shuffle; each
// training example is read from a random strand (reverse-complement augmentation; DeepSEA trained on both
// strands). Every --eval-every steps the validation file is scored (both strands averaged) and its mean
// AUROC over labels decides early stopping: after --patience evaluations without a better one the run
// stops, and the best weights are kept. Scoring: the mean of the forward and reverse-complement
// probabilities of each test example (as DeepSEA scored), then per label AUROC and AUPRC (label_table.h).
//
// Usage:
//   bench_deepsea_cnn --train T.tsv --valid V.tsv --test X.tsv [--width-scale 0.5] [--steps 1400]
//                     [--save cnn.pt] [--predictions P.tsv] [-t 1] > table.tsv
//   bench_deepsea_cnn --load cnn.pt --test X.tsv > table.tsv     # rescore a trained net without training
// stdout: `label positives examples auroc auprc`, a row per label, then `mean`; progress on stderr.
// Exit status: 0, 1 for bad input (a missing or malformed file, a dataset without labels, sequences of
// different lengths, a saved net that does not fit the data), 2 for a bad command line.
//
// Cost: measured on 1,000 bp windows, batch 64, -t 1, on one core of an AMD EPYC (2 cores shared with
// other jobs, the process at ~93% of a core), 100 training steps:
//   --width-scale 1   (the paper's net: 320/480/960 filters, 925 dense units, 52.0 M parameters): 346 s
//   --width-scale 0.5 (160/240/480 filters, 463 dense units, 13.0 M parameters):                  101 s
// (~53 GFLOP per step at 0.5, the convolutions' multiply-adds: about what one core does in a second). So the
// defaults are width 0.5 (half the filters and dense units, a quarter of the paper's multiply-adds) and at
// most 1,400 steps, validated every 200 steps on up to 2,000 validation examples: a run stays under ~30 min
// on one thread, where the full-width net would manage ~450 steps, under one pass over tens of thousands
// of training bins. On dm3 chr2R (9 profiles, 11,731 training, 1,632 validation, 25,726 test bins of
// 1,000 bp) the default run took 21.5 min of CPU (39 min wall with the core shared), 0.85 GB peak memory.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <boost/program_options.hpp>
#include <c10/util/Exception.h>
#include <torch/optim/adam.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "deepsea_net.h"
#include "label_table.h"
#include "train/labelled_data.h"
#include "train/metrics.h"
#include "util/blas_threads.h"
#include "util/error.h"
#include "util/output_file.h"

namespace {

namespace po = boost::program_options;
using genobird::bench::DeepSeaNet;
using genobird::bench::DeepSeaShape;
using genobird::bench::LabelScores;
using genobird::train::LabelledDataset;

struct Options {
  std::string train, valid, test, predictions, save, load;
  double width_scale = 0.5;
  double lr = 1e-3;
  int batch = 64;
  bool rc_augment = true;
  int steps = 1400;
  int eval_every = 200;
  int patience = 4;
  int max_valid = 2000;  // 0: every validation example
  unsigned long seed = 1;
  int threads = 1;
};

// A dataset held as base codes (deepsea_net.h), window after window, and its labels as a float matrix.
struct Encoded {
  LabelledDataset data;
  std::int64_t window = 0;
  std::vector<std::uint8_t> codes;  // [examples, window]
  at::Tensor labels;                // [examples, labels] float 0/1
};

Encoded encode(LabelledDataset data, const std::string& path) {
  Encoded e;
  if (data.size() == 0) throw genobird::InputError(path, 0, "the dataset holds no example");
  e.window = static_cast<std::int64_t>(data.examples[0].sequence.size());
  e.codes.reserve(data.size() * static_cast<std::size_t>(e.window));
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::string& s = data.examples[i].sequence;
    if (static_cast<std::int64_t>(s.size()) != e.window)
      throw genobird::InputError(path, 0, "example " + std::to_string(i + 1) + " ('" + data.examples[i].name + "') is " +
                                                  std::to_string(s.size()) + " bp, the first is " +
                                                  std::to_string(e.window) + " bp: the CNN needs one window length");
    const auto codes = genobird::bench::base_codes(s);
    e.codes.insert(e.codes.end(), codes.begin(), codes.end());
  }
  const auto n = static_cast<std::int64_t>(data.size()), l = static_cast<std::int64_t>(data.num_labels());
  e.labels = at::empty({n, l}, at::kFloat);
  float* y = e.labels.data_ptr<float>();
  for (std::size_t i = 0; i < data.labels.size(); ++i) y[i] = data.labels[i];
  e.data = std::move(data);
  return e;
}

Encoded load_split(const std::string& path) { return encode(genobird::train::read_labelled_dataset(path), path); }

// Checks that `other` has the reference's window and label names (the same profiles, in the same order).
void check_same_layout(const Encoded& other, const std::string& path, std::int64_t window,
                       const std::vector<std::string>& labels, const std::string& reference) {
  if (other.window != window)
    throw genobird::InputError(path, 0, "windows are " + std::to_string(other.window) + " bp, " + reference + "'s " +
                                            std::to_string(window) + " bp");
  if (other.data.label_names != labels)
    throw genobird::InputError(path, 2, "labels differ from " + reference + "'s (the same profiles in the same order are needed)");
}

// Probabilities of every example, the forward and reverse-complement strands averaged: scores[label][example].
LabelScores predict(DeepSeaNet& net, const Encoded& e, const std::vector<std::size_t>& rows) {
  const at::NoGradGuard no_grad;
  net->eval();
  const std::size_t labels = e.data.num_labels();
  LabelScores scores(labels, std::vector<float>(rows.size()));
  constexpr std::size_t kBatch = 128;
  for (std::size_t begin = 0; begin < rows.size(); begin += kBatch) {
    const std::vector<std::size_t> batch(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                                         rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), begin + kBatch)));
    const at::Tensor forward = at::sigmoid(net->forward(genobird::bench::one_hot(e.codes, e.window, batch,
                                                                                 std::vector<bool>(batch.size(), false))));
    const at::Tensor reverse = at::sigmoid(net->forward(genobird::bench::one_hot(e.codes, e.window, batch,
                                                                                 std::vector<bool>(batch.size(), true))));
    const at::Tensor p = ((forward + reverse) / 2).contiguous();  // [batch, labels]
    const float* v = p.data_ptr<float>();
    for (std::size_t b = 0; b < batch.size(); ++b)
      for (std::size_t k = 0; k < labels; ++k) scores[k][begin + b] = v[b * labels + k];
  }
  return scores;
}

std::vector<std::size_t> all_rows(std::size_t n) {
  std::vector<std::size_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = i;
  return rows;
}

double mean_auroc(const LabelScores& scores, const Encoded& e, const std::vector<std::size_t>& rows) {
  std::vector<double> values;
  for (std::size_t k = 0; k < scores.size(); ++k) {
    std::vector<std::uint8_t> truth;
    for (std::size_t i : rows) truth.push_back(e.data.label(i, k));
    values.push_back(genobird::train::auroc(scores[k], truth));  // NaN (skipped) for one class only
  }
  return genobird::train::mean_of(values);
}

// The current weights, copied: the best ones are kept while training goes on.
std::vector<at::Tensor> snapshot(DeepSeaNet& net) {
  std::vector<at::Tensor> copy;
  for (const auto& p : net->parameters()) copy.push_back(p.detach().clone());
  return copy;
}

void restore(DeepSeaNet& net, const std::vector<at::Tensor>& copy) {
  const at::NoGradGuard no_grad;
  auto params = net->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(copy[i]);
}

void train(DeepSeaNet& net, const Encoded& tr, const Encoded& va, const Options& o) {
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(o.lr));
  std::mt19937_64 rng(o.seed);
  std::vector<std::size_t> order = all_rows(tr.data.size());
  std::vector<std::size_t> valid_rows = all_rows(va.data.size());
  if (o.max_valid > 0 && valid_rows.size() > static_cast<std::size_t>(o.max_valid)) {
    std::shuffle(valid_rows.begin(), valid_rows.end(), rng);
    valid_rows.resize(static_cast<std::size_t>(o.max_valid));
    std::sort(valid_rows.begin(), valid_rows.end());
  }
  bool any_both = false;  // early stopping needs a validation AUROC
  for (std::size_t k = 0; k < va.data.num_labels() && !any_both; ++k) {
    std::size_t positives = 0;
    for (std::size_t i : valid_rows) positives += va.data.label(i, k);
    any_both = positives > 0 && positives < valid_rows.size();
  }
  if (!any_both)
    throw genobird::InputError(o.valid, 0, "no label has both positive and negative validation examples: "
                                           "early stopping needs a validation AUROC");
  std::size_t next = order.size();  // position in the current shuffle; past the end: reshuffle
  double best = -1, loss_sum = 0;
  int best_step = 0, bad_evals = 0, losses = 0;
  std::vector<at::Tensor> best_weights = snapshot(net);
  auto clock = std::chrono::steady_clock::now();
  double train_seconds = 0;
  for (int step = 1; step <= o.steps; ++step) {
    net->train();
    std::vector<std::size_t> batch;
    std::vector<bool> strand;
    while (batch.size() < static_cast<std::size_t>(o.batch)) {
      if (next == order.size()) {
        std::shuffle(order.begin(), order.end(), rng);
        next = 0;
      }
      batch.push_back(order[next++]);
      strand.push_back(o.rc_augment && (rng() & 1));
    }
    const at::Tensor x = genobird::bench::one_hot(tr.codes, tr.window, batch, strand);  // [batch, 4, window]
    std::vector<std::int64_t> index(batch.begin(), batch.end());
    const at::Tensor y = tr.labels.index_select(0, at::tensor(index, at::kLong));   // [batch, labels]
    const at::Tensor loss = at::binary_cross_entropy_with_logits(net->forward(x), y);
    adam.zero_grad();
    loss.backward();
    adam.step();
    loss_sum += loss.item<double>();
    ++losses;
    if (step % o.eval_every != 0 && step != o.steps) continue;
    const auto now = std::chrono::steady_clock::now();
    train_seconds += std::chrono::duration<double>(now - clock).count();
    const double auroc = mean_auroc(predict(net, va, valid_rows), va, valid_rows);
    clock = std::chrono::steady_clock::now();
    const bool better = auroc > best;
    if (better) {
      best = auroc;
      best_step = step;
      best_weights = snapshot(net);
      bad_evals = 0;
    } else {
      ++bad_evals;
    }
    std::fprintf(stderr, "step %d\tloss %.4f\tvalid mean AUROC %.4f%s\t%.1f s per 100 training steps\n", step,
                 loss_sum / losses, auroc, better ? " (best)" : "", 100 * train_seconds / step);
    loss_sum = 0;
    losses = 0;
    if (bad_evals >= o.patience) {
      std::fprintf(stderr, "early stop: no better validation AUROC in %d evaluations\n", o.patience);
      break;
    }
  }
  std::fprintf(stderr, "kept the weights of step %d (valid mean AUROC %.4f)\n", best_step, best);
  restore(net, best_weights);
}

// The archive holds the net's tensors and what is needed to rebuild it: window, labels, width scale.
void save_net(DeepSeaNet& net, const std::vector<std::string>& labels, const std::string& path) {
  torch::serialize::OutputArchive archive;
  net->save(archive);
  const DeepSeaShape& s = net->shape();
  archive.write("deepsea.window", c10::IValue(s.window));
  archive.write("deepsea.width_scale", c10::IValue(s.width_scale));
  std::string names;
  for (const auto& l : labels) names += (names.empty() ? "" : "\n") + l;
  archive.write("deepsea.labels", c10::IValue(names));
  std::ostringstream bytes;
  archive.save_to(bytes);
  genobird::OutputFile out(path);
  out << bytes.str();
  out.commit();
}

DeepSeaNet load_net(const std::string& path, std::vector<std::string>& labels) {
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    c10::IValue window, scale, names;
    archive.read("deepsea.window", window);
    archive.read("deepsea.width_scale", scale);
    archive.read("deepsea.labels", names);
    labels.clear();
    std::istringstream lines(names.toStringRef());
    for (std::string l; std::getline(lines, l);) labels.push_back(l);
    DeepSeaShape shape;
    shape.window = window.toInt();
    shape.width_scale = scale.toDouble();
    shape.labels = static_cast<std::int64_t>(labels.size());
    DeepSeaNet net(shape);
    net->load(archive);
    return net;
  } catch (const c10::Error& e) {
    throw genobird::InputError(path, 0, std::string("not a saved bench_deepsea_cnn net: ") + e.what_without_backtrace());
  }
}

po::options_description describe(Options& o) {
  po::options_description d("bench_deepsea_cnn options");
  d.add_options()
    ("help,h", "this help")
    ("train", po::value(&o.train), "training dataset (make-dataset TSV)")
    ("valid", po::value(&o.valid), "validation dataset: early stopping on its mean AUROC")
    ("test", po::value(&o.test), "test dataset: the table on stdout")
    ("width-scale", po::value(&o.width_scale)->default_value(o.width_scale), "multiplies 320/480/960 filters and the 925 dense units")
    ("lr", po::value(&o.lr)->default_value(o.lr), "Adam learning rate")
    ("batch", po::value(&o.batch)->default_value(o.batch), "examples per step")
    ("rc-augment", po::value<std::string>()->default_value(o.rc_augment ? "on" : "off"), "train on a random strand of each example: on|off")
    ("steps", po::value(&o.steps)->default_value(o.steps), "most training steps")
    ("eval-every", po::value(&o.eval_every)->default_value(o.eval_every), "steps between validations")
    ("patience", po::value(&o.patience)->default_value(o.patience), "validations without improvement before stopping")
    ("max-valid", po::value(&o.max_valid)->default_value(o.max_valid), "validate on this many examples drawn at random (0: all)")
    ("seed", po::value(&o.seed)->default_value(o.seed), "seed of initialisation, shuffling and strands")
    ("threads,t", po::value(&o.threads)->default_value(o.threads), "CPU threads")
    ("save", po::value(&o.save), "write the trained net here (torch archive)")
    ("load", po::value(&o.load), "score a saved net instead of training (needs only --test)")
    ("predictions", po::value(&o.predictions), "write per-example test probabilities here (TSV)");
  return d;
}

// Parses and checks the command line; throws genobird::UsageError (exit 2). Returns false for --help.
bool parse(int argc, char** argv, Options& o) {
  po::options_description d = describe(o);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(d).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw genobird::UsageError(e.what());
  }
  if (vm.count("help")) {
    std::ostringstream help;
    help << d;
    std::printf("usage: bench_deepsea_cnn --train T.tsv --valid V.tsv --test X.tsv [options]\n"
                "       bench_deepsea_cnn --load NET --test X.tsv [--predictions P.tsv]\n%s",
                help.str().c_str());
    return false;
  }
  const std::string rc = vm["rc-augment"].as<std::string>();
  if (rc != "on" && rc != "off") throw genobird::UsageError("--rc-augment must be on or off, not '" + rc + "'");
  o.rc_augment = rc == "on";
  if (o.test.empty()) throw genobird::UsageError("--test is required");
  if (o.load.empty() && (o.train.empty() || o.valid.empty()))
    throw genobird::UsageError("--train and --valid are required unless --load names a trained net");
  if (!o.load.empty() && (!o.train.empty() || !o.valid.empty()))
    throw genobird::UsageError("--load scores a trained net: --train and --valid are not used with it");
  if (!(o.width_scale > 0) || o.width_scale > 4) throw genobird::UsageError("--width-scale must be in (0, 4]");
  if (!(o.lr > 0)) throw genobird::UsageError("--lr must be positive");
  if (o.batch < 1 || o.steps < 1 || o.eval_every < 1 || o.patience < 1 || o.threads < 1)
    throw genobird::UsageError("--batch, --steps, --eval-every, --patience and --threads must be positive");
  if (o.max_valid < 0) throw genobird::UsageError("--max-valid must be 0 (all) or positive");
  return true;
}

void set_threads(int threads) {
  // OpenBLAS read its thread count when libtorch loaded it, before main: set it explicitly.
  const std::string text = std::to_string(threads);
  setenv("OMP_NUM_THREADS", text.c_str(), 0);
  if (!std::getenv("OPENBLAS_NUM_THREADS")) genobird::set_blas_threads(threads);
  at::set_num_threads(threads);
}

int run(const Options& o) {
  set_threads(o.threads);
  at::manual_seed(o.seed);
  if (!o.save.empty()) genobird::check_output_path(o.save, "--save");
  if (!o.predictions.empty()) genobird::check_output_path(o.predictions, "--predictions");
  const auto start = std::chrono::steady_clock::now();
  Encoded te = load_split(o.test);
  DeepSeaNet net{nullptr};
  if (!o.load.empty()) {
    std::vector<std::string> labels;
    net = load_net(o.load, labels);
    check_same_layout(te, o.test, net->shape().window, labels, o.load);
  } else {
    Encoded tr = load_split(o.train), va = load_split(o.valid);
    check_same_layout(va, o.valid, tr.window, tr.data.label_names, o.train);
    check_same_layout(te, o.test, tr.window, tr.data.label_names, o.train);
    DeepSeaShape shape;
    shape.window = tr.window;
    shape.labels = static_cast<std::int64_t>(tr.data.num_labels());
    shape.width_scale = o.width_scale;
    try {
      net = DeepSeaNet(shape);
    } catch (const std::invalid_argument& e) {
      throw genobird::InputError(o.train, 0, e.what());
    }
    std::size_t parameters = 0;
    for (const auto& p : net->parameters()) parameters += static_cast<std::size_t>(p.numel());
    std::fprintf(stderr, "DeepSEA CNN: window %lld bp, %lld labels, filters %lld/%lld/%lld, dense %lld, %.2f M parameters; "
                 "%zu training, %zu validation examples\n", static_cast<long long>(shape.window),
                 static_cast<long long>(shape.labels), static_cast<long long>(shape.conv1()),
                 static_cast<long long>(shape.conv2()), static_cast<long long>(shape.conv3()),
                 static_cast<long long>(shape.dense()), static_cast<double>(parameters) / 1e6, tr.data.size(), va.data.size());
    train(net, tr, va, o);
    if (!o.save.empty()) save_net(net, tr.data.label_names, o.save);
  }
  const LabelScores scores = predict(net, te, all_rows(te.data.size()));
  genobird::bench::print_label_table(stdout, te.data, scores);
  if (!o.predictions.empty()) genobird::bench::write_predictions(o.predictions, te.data, scores);
  std::fprintf(stderr, "wall time %.1f s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    if (!parse(argc, argv, o)) return 0;
  } catch (const genobird::UsageError& e) {
    std::fprintf(stderr, "bench_deepsea_cnn: error: %s (see --help)\n", e.what());
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_deepsea_cnn: error: %s\n", e.what());
    return 1;
  }
}
