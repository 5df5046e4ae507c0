// genobird evaluate: metrics of a model's classification head on a labelled dataset (TSV or JSON), with ROC
// and precision-recall curves as SVG (--data); or masked-token accuracy and perplexity of its MLM head on
// random windows of a genome FASTA, the examples pretraining validates on (--fasta, train/mlm_evaluation.h).
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.h"
#include "model/device.h"
#include "model/model_dir.h"
#include "options.h"
#include "io/indexable_fasta.h"
#include "io/indexed_fasta.h"
#include "tokenizer/tokenizer.h"
#include "train/classifier_batches.h"
#include "train/curve_svg.h"
#include "train/labelled_data.h"
#include "train/metrics.h"
#include "train/metrics_log.h"
#include "train/mlm_evaluation.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

std::string number(double value) {
  if (std::isnan(value)) return "NA";
  std::ostringstream out;
  out.precision(6);
  out << value;
  return out.str();
}

nlohmann::json json_number(double value) { return std::isnan(value) ? nlohmann::json() : nlohmann::json(value); }

class EvaluateCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    const train::MlmEvaluationOptions d;
    options.add_options()("model", po::value(&model_)->required(), "model directory")(
        "data", po::value(&data_), "labelled dataset (make-dataset file or DeepSEA .mat): score a classification head")(
        "fasta", po::value(&fasta_),
        "genome FASTA (plain, gzip or bgzip): score the MLM head on masked random windows, as pretrain validates")(
        "seq-len", po::value(&mlm_.seq_len)->default_value(d.seq_len),
        ("--fasta: tokens per window, [CLS] and [SEP] included (0: the model's maximum, at most " +
         std::to_string(train::kMaxDefaultEvalSeqLen) + ")").c_str())(
        "windows", po::value(&mlm_.windows)->default_value(d.windows), "--fasta: windows to score")(
        "mask-rate", value_with_default(&mlm_.masking.mask_fraction, d.masking.mask_fraction),
        "--fasta: fraction of tokens masked (of them 80% [MASK], 10% random, 10% kept)")(
        "max-n-fraction", value_with_default(&mlm_.max_n_fraction, d.max_n_fraction),
        "--fasta: windows with more non-ACGT bases are redrawn, as in pretrain")(
        "head", po::value(&head_), "classification head to evaluate (default: the one whose labels match the data)")(
        "rc", po::value(&rc_)->default_value("mean"),
        "merge forward and reverse-complement predictions: mean, max or off")(
        "threshold", value_with_default(&threshold_, 0.5), "probability at which a prediction is positive")(
        "batch-size", po::value(&batch_size_)->default_value(64), "examples per forward pass")(
        "json", po::bool_switch(&json_), "write JSON instead of TSV")(
        "curves", po::value(&curves_), "write ROC and PR curves to PREFIX.roc.svg and PREFIX.pr.svg")(
        "predictions", po::value(&predictions_), "write each example's probabilities to this TSV");
    add_seed_option(options, seed_);
    add_output_option(options, output_);
    add_threads_option(options, threads_);
    add_device_option(options, device_);
  }

  std::vector<OutputPath> outputs() const override {
    return {{"--curves", curves_.empty() ? "" : curves_ + ".roc.svg"}, {"--predictions", predictions_}};
  }

  std::string description() const override {
    return "TSV columns: level (label, mean or median), name (label, or label group: 'all' or the text before ':' in\n"
           "label names), examples (labels for summaries), positives, auroc, auprc, accuracy, precision, recall,\n"
           "f1, mcc; the threshold metrics use --threshold.\n"
           "With --fasta: --windows random windows of --seq-len tokens from the sequences at least one window long\n"
           "(shorter ones are skipped), either strand, masked with --mask-rate; --seed, --seq-len and --windows as\n"
           "given to pretrain reproduce its --valid-genome validation. TSV columns: windows, masked_tokens, loss,\n"
           "accuracy, perplexity (over every masked token, as pretrain's valid_loss, valid_accuracy,\n"
           "valid_perplexity), mask_shown_tokens, mask_accuracy, mask_perplexity (only where the input shows [MASK],\n"
           "as valid_mask_accuracy, valid_mask_perplexity).";
  }

  int run(const po::variables_map& vm) override {
    require(batch_size_ >= 1, "--batch-size must be at least 1");
    if (!data_.empty() && !fasta_.empty()) throw UsageError("give --data or --fasta, not both");
    if (data_.empty() && fasta_.empty())
      throw UsageError("give --data DATASET (classification heads) or --fasta FASTA (the MLM head)");
    const char* const kMlmOnly[] = {"seq-len", "windows", "mask-rate", "max-n-fraction", "seed"};
    const char* const kDataOnly[] = {"head", "rc", "threshold", "curves", "predictions"};
    for (const char* name : fasta_.empty() ? kMlmOnly : kDataOnly)
      if (vm.count(name) != 0 && !vm[name].defaulted())
        throw UsageError(std::string("--") + name + " applies to " + (fasta_.empty() ? "--fasta" : "--data"));
    const int threads = resolve_threads(threads_);
    at::set_num_threads(threads);
    const c10::Device device = model::resolve_device(device_);
    if (!fasta_.empty()) return run_mlm(device);
    const train::RcMode rc = train::parse_rc_mode(rc_);
    train::LabelledDataset data = train::read_dataset(data_);
    model::LoadedModel loaded = model::load_model_dir(model_, device);
    const model::HeadSpec* head = nullptr;
    for (const auto& spec : loaded.model->heads()) {
      if (spec.kind != model::HeadKind::kClassification) continue;
      if (head_.empty() ? spec.labels == data.label_names : spec.name == head_) {
        head = &spec;
        break;
      }
    }
    if (head == nullptr)
      throw UsageError(head_.empty() ? "no classification head of " + model_ + " has the labels of " + data_ + "; name one with --head"
                                     : "the model has no classification head '" + head_ + "'");
    if (head->labels != data.label_names)
      throw InputError(data_, 2, "its labels differ from those of head '" + head->name + "'");
    tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(loaded.tokenizer_path);
    train::TokenizedExamples tokens = train::tokenize_examples(data, tokenizer, loaded.model->config().max_position_embeddings,
                                                               rc != train::RcMode::kOff, threads);
    std::vector<float> probabilities =
        train::predict_probabilities(*loaded.model, head->name, tokens, batch_size_, device, rc);

    const std::size_t labels = data.num_labels();
    std::vector<train::LabelMetrics> per_label;
    std::vector<train::NamedCurve> roc, pr;
    std::vector<float> column(data.size());
    for (std::size_t j = 0; j < labels; ++j) {
      for (std::size_t i = 0; i < data.size(); ++i) column[i] = probabilities[i * labels + j];
      std::vector<std::uint8_t> truth = data.label_column(j);
      per_label.push_back(train::label_metrics(data.label_names[j], column, truth, threshold_));
      if (!curves_.empty()) {
        roc.push_back({data.label_names[j] + " (AUROC " + number(per_label.back().auroc) + ")", train::roc_curve(column, truth)});
        pr.push_back({data.label_names[j] + " (AP " + number(per_label.back().auprc) + ")", train::pr_curve(column, truth)});
      }
    }
    std::vector<train::MetricsSummary> summary = train::summarise(per_label);
    if (!curves_.empty()) write_curves(head->name, roc, pr);
    if (!predictions_.empty()) write_predictions(data, probabilities);

    OutputFile out(output_);
    out << (json_ ? to_json(*head, per_label, summary).dump(2) + "\n" : to_tsv(per_label, summary));
    out.commit();
    LOG_INFO(count_noun(data.size(), "example") << ", " << count_noun(labels, "label") << ": mean AUROC "
                                                << number(summary[0].mean_auroc) << ", mean AUPRC "
                                                << number(summary[0].mean_auprc));
    return 0;
  }

 private:
  int run_mlm(const c10::Device& device) {
    mlm_.seed = seed_;
    require(mlm_.windows >= 1, "--windows must be at least 1");
    require(mlm_.masking.mask_fraction > 0 && mlm_.masking.mask_fraction <= 1, "--mask-rate must be in (0, 1]");
    require(mlm_.max_n_fraction >= 0 && mlm_.max_n_fraction <= 1, "--max-n-fraction must be in [0, 1]");
    model::LoadedModel loaded = model::load_model_dir(model_, device);
    const auto& heads = loaded.model->heads();
    if (std::none_of(heads.begin(), heads.end(), [](const model::HeadSpec& h) { return h.kind == model::HeadKind::kMaskedLm; }))
      throw InputError(model_, 0,
                       "the model has no masked-language-model head (kind \"mlm\" in genobird.json), so --fasta cannot "
                       "score it; evaluate its classification heads with --data");
    const std::int64_t max_positions = loaded.model->config().max_position_embeddings;
    if (mlm_.seq_len == 0) mlm_.seq_len = train::default_eval_seq_len(max_positions);
    require(mlm_.seq_len >= 8, "--seq-len must be at least 8 tokens");
    require(mlm_.seq_len <= max_positions, "--seq-len " + std::to_string(mlm_.seq_len) +
                                               " exceeds the model's max_position_embeddings " + std::to_string(max_positions));

    const tokenizer::Tokenizer tokenizer = tokenizer::Tokenizer::load(loaded.tokenizer_path);
    const io::IndexableFasta fasta(fasta_);
    const train::GenomeWindows windows = held_out_windows(tokenizer, fasta);
    const std::size_t sequences = io::IndexedFasta(fasta.path()).names().size();
    if (windows.sequences().size() < sequences)
      LOG_INFO(count_noun(sequences - windows.sequences().size(), "sequence") << " of " << fasta_ << " shorter than a window ("
                                                                              << windows.window_bp() << " bp) left out");
    const train::MlmExampleMaker maker(windows, tokenizer, mlm_.seq_len, mlm_.seed, train::kValidStream, mlm_.masking);
    std::vector<std::uint64_t> indices(static_cast<std::size_t>(mlm_.windows));
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    const train::MlmTotals totals = train::score_mlm_examples(*loaded.model, maker, indices, batch_size_, device);

    OutputFile out(output_);
    out << (json_ ? mlm_json(windows, totals).dump(2) + "\n" : mlm_tsv(totals));
    out.commit();
    LOG_INFO(count_noun(mlm_.windows, "window") << " of " << mlm_.seq_len << " tokens (" << windows.window_bp() << " bp) from "
                                                << count_noun(windows.sequences().size(), "sequence") << ": "
                                                << count_noun(static_cast<std::int64_t>(totals.count), "masked token")
                                                << ", accuracy " << train::format_metric(totals.accuracy())
                                                << ", perplexity " << train::format_metric(totals.perplexity()));
    return 0;
  }

  // The windows of --fasta; errors about a decompressed copy of a gzip file name the file given.
  train::GenomeWindows held_out_windows(const tokenizer::Tokenizer& tokenizer, const io::IndexableFasta& fasta) const {
    try {
      return train::held_out_windows(tokenizer, {fasta.path()}, mlm_.seq_len, mlm_.max_n_fraction);
    } catch (const InputError& e) {
      if (!fasta.is_copy() || e.file() != fasta.path() || e.line() != 0) throw;
      throw InputError(fasta_, 0, std::string(e.what()).substr(e.file().size() + 2));
    }
  }

  std::string mlm_tsv(const train::MlmTotals& t) const {
    using train::format_metric;
    return "windows\tmasked_tokens\tloss\taccuracy\tperplexity\tmask_shown_tokens\tmask_accuracy\tmask_perplexity\n" +
           std::to_string(mlm_.windows) + "\t" + format_metric(t.count) + "\t" + format_metric(t.loss()) + "\t" +
           format_metric(t.accuracy()) + "\t" + format_metric(t.perplexity()) + "\t" + format_metric(t.mask_count) + "\t" +
           format_metric(t.mask_accuracy()) + "\t" + format_metric(t.mask_perplexity()) + "\n";
  }

  nlohmann::json mlm_json(const train::GenomeWindows& windows, const train::MlmTotals& t) const {
    return {{"model", model_},
            {"fasta", fasta_},
            {"seq_len", mlm_.seq_len},
            {"window_bp", windows.window_bp()},
            {"windows", mlm_.windows},
            {"mask_rate", mlm_.masking.mask_fraction},
            {"seed", mlm_.seed},
            {"max_n_fraction", mlm_.max_n_fraction},
            {"masked_tokens", static_cast<std::int64_t>(t.count)},
            {"loss", t.loss()},
            {"accuracy", t.accuracy()},
            {"perplexity", t.perplexity()},
            {"mask_shown_tokens", static_cast<std::int64_t>(t.mask_count)},
            {"mask_accuracy", t.mask_accuracy()},
            {"mask_perplexity", t.mask_perplexity()}};
  }

  static std::string to_tsv(const std::vector<train::LabelMetrics>& per_label, const std::vector<train::MetricsSummary>& summary) {
    std::ostringstream out;
    out << "level\tname\texamples\tpositives\tauroc\tauprc\taccuracy\tprecision\trecall\tf1\tmcc\n";
    for (const auto& m : per_label)
      out << "label\t" << m.label << "\t" << m.examples << "\t" << m.positives << "\t" << number(m.auroc) << "\t"
          << number(m.auprc) << "\t" << number(m.at_threshold.accuracy) << "\t" << number(m.at_threshold.precision)
          << "\t" << number(m.at_threshold.recall) << "\t" << number(m.at_threshold.f1) << "\t"
          << number(m.at_threshold.mcc) << "\n";
    for (const auto& s : summary) {
      out << "mean\t" << s.group << "\t" << s.labels << "\t.\t" << number(s.mean_auroc) << "\t" << number(s.mean_auprc)
          << "\t" << number(s.mean_accuracy) << "\t.\t.\t" << number(s.mean_f1) << "\t" << number(s.mean_mcc) << "\n";
      out << "median\t" << s.group << "\t" << s.labels << "\t.\t" << number(s.median_auroc) << "\t"
          << number(s.median_auprc) << "\t.\t.\t.\t" << number(s.median_f1) << "\t" << number(s.median_mcc) << "\n";
    }
    return out.str();
  }

  nlohmann::json to_json(const model::HeadSpec& head, const std::vector<train::LabelMetrics>& per_label,
                         const std::vector<train::MetricsSummary>& summary) const {
    nlohmann::json j = {{"model", model_}, {"data", data_}, {"head", head.name}, {"rc", rc_}, {"threshold", threshold_}};
    j["labels"] = nlohmann::json::array();
    for (const auto& m : per_label)
      j["labels"].push_back({{"label", m.label}, {"group", m.group}, {"examples", m.examples}, {"positives", m.positives},
                             {"auroc", json_number(m.auroc)}, {"auprc", json_number(m.auprc)},
                             {"accuracy", json_number(m.at_threshold.accuracy)}, {"precision", json_number(m.at_threshold.precision)},
                             {"recall", json_number(m.at_threshold.recall)}, {"f1", json_number(m.at_threshold.f1)},
                             {"mcc", json_number(m.at_threshold.mcc)}});
    j["summary"] = nlohmann::json::array();
    for (const auto& s : summary)
      j["summary"].push_back({{"group", s.group}, {"labels", s.labels},
                              {"mean_auroc", json_number(s.mean_auroc)}, {"median_auroc", json_number(s.median_auroc)},
                              {"mean_auprc", json_number(s.mean_auprc)}, {"median_auprc", json_number(s.median_auprc)},
                              {"mean_f1", json_number(s.mean_f1)}, {"median_f1", json_number(s.median_f1)},
                              {"mean_mcc", json_number(s.mean_mcc)}, {"median_mcc", json_number(s.median_mcc)}});
    return j;
  }

  void write_curves(const std::string& head, const std::vector<train::NamedCurve>& roc,
                    const std::vector<train::NamedCurve>& pr) const {
    OutputFile roc_file(curves_ + ".roc.svg");
    roc_file << train::curves_svg("ROC, head " + head, "false-positive rate", "true-positive rate", roc, true);
    roc_file.commit();
    OutputFile pr_file(curves_ + ".pr.svg");
    pr_file << train::curves_svg("Precision-recall, head " + head, "recall", "precision", pr, false);
    pr_file.commit();
  }

  void write_predictions(const train::LabelledDataset& data, const std::vector<float>& probabilities) const {
    OutputFile out(predictions_);
    out << "name";
    for (const auto& label : data.label_names) out << "\t" << label << "\tp_" << label;
    out << "\n";
    const std::size_t labels = data.num_labels();
    for (std::size_t i = 0; i < data.size(); ++i) {
      std::string line = data.examples[i].name;
      for (std::size_t j = 0; j < labels; ++j)
        line += "\t" + std::to_string(data.label(i, j)) + "\t" + number(probabilities[i * labels + j]);
      out << line << "\n";
    }
    out.commit();
  }

  std::string model_, data_, fasta_, head_, rc_, curves_, predictions_, output_, device_;
  double threshold_ = 0.5;
  std::int64_t batch_size_ = 64;
  bool json_ = false;
  int threads_ = 0;
  train::MlmEvaluationOptions mlm_;
  unsigned long seed_ = train::MlmEvaluationOptions().seed;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

}  // namespace genobird::cli
