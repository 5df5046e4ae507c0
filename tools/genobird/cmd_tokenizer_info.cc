// genobird tokenizer info: vocabulary size, the longest tokens and, given sequences, bp per token.
#include <algorithm>

#include "command.h"
#include "io/sequence_reader.h"
#include "options.h"
#include "tokenizer/tokenizer.h"
#include "util/output_file.h"

namespace genobird::cli {
namespace {

class TokenizerInfoCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description& positional) override {
    options.add_options()
        ("tokenizer", po::value(&tokenizer_path_)->required(), "tokenizer.json (also the first bare argument)")
        ("input", po::value(&input_), "FASTA/FASTQ to measure mean bp per token on")
        ("longest", po::value(&longest_)->default_value(10), "how many of the longest tokens to list");
    positional.add("tokenizer", 1);
    add_threads_option(options, threads_);
    add_output_option(options, output_);
  }

  int run(const po::variables_map& vm) override {
    require(longest_ >= 0, "--longest must be 0 or more");
    int threads = resolve_threads(threads_);
    auto tokenizer = tokenizer::Tokenizer::load(tokenizer_path_);
    const auto& model = tokenizer.model();
    OutputFile out(output_);
    out << "vocab_size\t" << std::to_string(tokenizer.vocab_size()) << '\n';
    out << "merges\t" << std::to_string(model.merges.size()) << '\n';
    if (vm.count("input")) {
      io::SequenceReader reader(input_);
      io::SequenceRecord record;
      std::vector<std::string> seqs;
      std::uint64_t bases = 0;
      std::uint64_t tokens = 0;
      std::uint64_t buffered = 0;
      // Only counts are needed: records are measured in batches of bounded size (4096 records or 64 MB),
      // and a long record (a whole chromosome on one line) alone, without token offsets, so memory stays
      // at a few bytes per base of the longest record.
      constexpr std::size_t kLongRecord = 1 << 20;
      auto measure = [&] {
        for (const auto& encoding : tokenizer.encode_batch(seqs, threads)) tokens += encoding.ids.size();
        seqs.clear();
        buffered = 0;
      };
      while (reader.next(record)) {
        bases += record.seq.size();
        if (record.seq.size() >= kLongRecord) {
          tokens += tokenizer.count_tokens(record.seq);
          continue;
        }
        buffered += record.seq.size();
        seqs.push_back(std::move(record.seq));
        if (seqs.size() >= 4096 || buffered >= (std::uint64_t{64} << 20)) measure();
      }
      measure();
      out << "input_bases\t" << std::to_string(bases) << "\ninput_tokens\t" << std::to_string(tokens) << '\n';
      out << "bp_per_token\t" << (tokens ? std::to_string(static_cast<double>(bases) / static_cast<double>(tokens)) : "NA")
          << '\n';
    }
    std::vector<std::int32_t> ids;
    for (std::size_t id = tokenizer::kNumBaseTokens; id < model.vocab.size(); ++id) ids.push_back(static_cast<std::int32_t>(id));
    // Longest first; equal lengths in id order (learned earlier first).
    std::stable_sort(ids.begin(), ids.end(), [&](std::int32_t a, std::int32_t b) {
      return model.vocab[static_cast<std::size_t>(a)].size() > model.vocab[static_cast<std::size_t>(b)].size();
    });
    ids.resize(std::min(ids.size(), static_cast<std::size_t>(longest_)));
    for (auto id : ids) {
      const std::string& token = model.vocab[static_cast<std::size_t>(id)];
      out << "longest_token\t" << std::to_string(id) << '\t' << std::to_string(token.size()) << '\t' << token << '\n';
    }
    out.commit();
    return 0;
  }

 private:
  std::string tokenizer_path_;
  std::string input_;
  int longest_ = 10;
  int threads_ = 0;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_tokenizer_info_command() { return std::make_unique<TokenizerInfoCommand>(); }

}  // namespace genobird::cli
