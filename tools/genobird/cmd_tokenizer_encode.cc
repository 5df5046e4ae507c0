// genobird tokenizer encode: one line per FASTA/FASTQ record, "name<TAB>id id id ...".
#include <chrono>

#include "command.h"
#include "io/sequence_reader.h"
#include "options.h"
#include "tokenizer/tokenizer.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"
#include "util/progress.h"

namespace genobird::cli {
namespace {

// Records are encoded in batches of about this many bases, so that threads share the work while memory
// stays bounded for inputs of any size.
constexpr std::size_t kBatchBases = 64 << 20;
constexpr std::size_t kBatchRecords = 16384;

class TokenizerEncodeCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()
        ("tokenizer", po::value(&tokenizer_path_)->required(), "tokenizer.json")
        ("input", po::value(&input_)->required(), "FASTA or FASTQ, plain or gzip ('-' for stdin)");
    add_threads_option(options, threads_);
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Ids are of the raw sequence: no [CLS]/[SEP] are added. Lowercase bases are upper-cased and every\n"
           "other letter becomes N, so each token covers exactly its bases of the record.";
  }

  int run(const po::variables_map&) override {
    int threads = resolve_threads(threads_);
    auto tokenizer = tokenizer::Tokenizer::load(tokenizer_path_);
    // Each id's text after a space, made once, so that a line is built by copying rather than by
    // converting every token of a genome again.
    std::vector<std::string> id_texts(tokenizer.vocab_size());
    for (std::size_t id = 0; id < id_texts.size(); ++id) id_texts[id] = ' ' + std::to_string(id);
    io::SequenceReader reader(input_);
    OutputFile out(output_);
    Progress progress("bp", "bp");
    std::vector<std::string> names;
    std::vector<std::string> seqs;
    std::uint64_t bases = 0;
    std::uint64_t tokens = 0;
    double encode_seconds = 0;
    auto flush = [&] {
      auto started = std::chrono::steady_clock::now();
      auto encodings = tokenizer.encode_batch(seqs, threads);
      encode_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::string line;
      for (std::size_t i = 0; i < seqs.size(); ++i) {
        line = names[i];
        line += '\t';
        const auto& ids = encodings[i].ids;
        // The first id goes without its space: the tab separates it from the name.
        for (std::size_t t = 0; t < ids.size(); ++t) {
          line.append(id_texts[static_cast<std::size_t>(ids[t])], t == 0 ? 1 : 0);
        }
        line += '\n';
        out << line;
        tokens += encodings[i].ids.size();
        progress.add(seqs[i].size());
      }
      names.clear();
      seqs.clear();
    };
    io::SequenceRecord record;
    std::size_t batch_bases = 0;
    while (reader.next(record)) {
      bases += record.seq.size();
      batch_bases += record.seq.size();
      names.push_back(std::move(record.name));
      seqs.push_back(std::move(record.seq));
      if (batch_bases >= kBatchBases || seqs.size() >= kBatchRecords) {
        flush();
        batch_bases = 0;
      }
    }
    flush();
    out.commit();
    progress.finish();
    LOG_INFO("encoded " << bases << " bp into " << count_noun(tokens, "token") << " ("
                        << (tokens > 0 ? static_cast<double>(bases) / static_cast<double>(tokens) : 0.0)
                        << " bp per token); encoding alone ran at "
                        << (encode_seconds > 0 ? static_cast<double>(bases) / encode_seconds / 1e6 : 0.0)
                        << " Mbp/s on " << count_noun(threads, "thread"));
    return 0;
  }

 private:
  std::string tokenizer_path_;
  std::string input_;
  int threads_ = 0;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_tokenizer_encode_command() { return std::make_unique<TokenizerEncodeCommand>(); }

}  // namespace genobird::cli
