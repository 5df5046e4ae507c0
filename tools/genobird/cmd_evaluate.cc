// genobird evaluate: metrics of a model's classification head on a labelled dataset (TSV or JSON), with ROC
// and precision-recall curves as SVG.
#include <ATen/Parallel.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "command.h"
#include "model/device.h"
#include "model/model_dir.h"
#include "options.h"
#include "tokenizer/tokenizer.h"
#include "train/classifier_batches.h"
#include "train/curve_svg.h"
#include "train/labelled_data.h"
#include "train/metrics.h"
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
    options.add_options()("model", po::value(&model_)->required(), "model directory")(
        "data", po::value(&data_)->required(), "labelled dataset (make-dataset file or DeepSEA .mat)")(
        "head", po::value(&head_), "classification head to evaluate (default: the one whose labels match the data)")(
        "rc", po::value(&rc_)->default_value("mean"),
        "merge forward and reverse-complement predictions: mean, max or off")(
        "threshold", value_with_default(&threshold_, 0.5), "probability at which a prediction is positive")(
        "batch-size", po::value(&batch_size_)->default_value(64), "examples per forward pass")(
        "json", po::bool_switch(&json_), "write JSON instead of TSV")(
        "curves", po::value(&curves_), "write ROC and PR curves to PREFIX.roc.svg and PREFIX.pr.svg")(
        "predictions", po::value(&predictions_), "write each example's probabilities to this TSV");
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
           "f1, mcc; the threshold metrics use --threshold.";
  }

  int run(const po::variables_map&) override {
    require(batch_size_ >= 1, "--batch-size must be at least 1");
    const int threads = resolve_threads(threads_);
    at::set_num_threads(threads);
    const train::RcMode rc = train::parse_rc_mode(rc_);
    const c10::Device device = model::resolve_device(device_);
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

  std::string model_, data_, head_, rc_, curves_, predictions_, output_, device_;
  double threshold_ = 0.5;
  std::int64_t batch_size_ = 64;
  bool json_ = false;
  int threads_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_evaluate_command() { return std::make_unique<EvaluateCommand>(); }

}  // namespace genobird::cli
