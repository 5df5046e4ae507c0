// genobird tokenizer train: learn a DNA BPE vocabulary and write it as HuggingFace tokenizer.json.
#include "command.h"
#include "options.h"
#include "tokenizer/bpe_trainer.h"
#include "tokenizer/tokenizer.h"
#include "util/log.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class TokenizerTrainCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    const tokenizer::BpeTrainerOptions defaults;
    options.add_options()
        ("input", po::value(&inputs_)->multitoken()->required(),
         "FASTA/FASTQ (plain or gzip) or SAM/BAM/CRAM files to learn from, read in order")
        ("vocab-size", po::value(&options_.vocab_size)->default_value(defaults.vocab_size),
         "tokens in the vocabulary, the 5 special tokens and A C G T N included")
        ("max-bases", po::value(&options_.max_bases)->default_value(defaults.max_bases),
         "learn from the first N bases of the inputs only (0: all)")
        ("min-frequency", po::value(&options_.min_frequency)->default_value(defaults.min_frequency),
         "never merge a pair seen fewer times")
        ("max-token-length", po::value(&options_.max_token_length)->default_value(defaults.max_token_length),
         "longest token in bases");
    add_threads_option(options, threads_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Normalisation: a/c/g/t are upper-cased, every other letter becomes N, and runs of N never merge with\n"
           "bases. Ties between equally frequent pairs go to the smaller left token, then the smaller right token\n"
           "(byte order), so the result does not depend on --threads.";
  }

  int run(const po::variables_map&) override {
    options_.threads = resolve_threads(threads_);
    tokenizer::check_bpe_trainer_options(options_);
    tokenizer::Tokenizer trained(tokenizer::train_bpe_from_files(inputs_, options_));
    trained.save(output_);
    LOG_INFO("wrote " << (output_ == "-" ? "stdout" : output_) << " (" << count_noun(trained.vocab_size(), "token") << ", "
                      << count_noun(trained.model().merges.size(), "merge") << ")");
    return 0;
  }

 private:
  std::vector<std::string> inputs_;
  tokenizer::BpeTrainerOptions options_;
  int threads_ = 0;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_tokenizer_train_command() { return std::make_unique<TokenizerTrainCommand>(); }

}  // namespace genobird::cli
