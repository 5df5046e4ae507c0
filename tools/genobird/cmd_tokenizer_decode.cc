// genobird tokenizer decode: the inverse of encode, "name<TAB>id id ..." lines back to FASTA.
#include <cerrno>
#include <cstdlib>

#include "command.h"
#include "io/line_reader.h"
#include "options.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/output_file.h"
#include "util/plural.h"

namespace genobird::cli {
namespace {

class TokenizerDecodeCommand : public Command {
 public:
  void add_options(po::options_description& options, po::positional_options_description&) override {
    options.add_options()
        ("tokenizer", po::value(&tokenizer_path_)->required(), "tokenizer.json")
        ("input", po::value(&input_)->required(), "lines \"name<TAB>id id ...\" as written by encode ('-' for stdin)");
    add_output_option(options, output_);
  }

  std::string description() const override {
    return "Writes one FASTA record per line, its sequence on one line. Special tokens ([CLS], [PAD], ...)\n"
           "are skipped.";
  }

  int run(const po::variables_map&) override {
    auto tokenizer = tokenizer::Tokenizer::load(tokenizer_path_);
    auto vocab_size = static_cast<long>(tokenizer.vocab_size());
    io::LineReader reader(input_);
    OutputFile out(output_);
    std::string line;
    std::vector<std::int32_t> ids;
    std::uint64_t records = 0;
    while (reader.next(line)) {
      auto fail = [&](const std::string& what) { throw InputError(input_, reader.line_number(), what); };
      auto tab = line.find('\t');
      if (tab == std::string::npos || tab == 0) fail("expected \"name<TAB>id id ...\", found no name and tab");
      ids.clear();
      const char* p = line.c_str() + tab + 1;
      while (*p != '\0') {
        if (*p == ' ') {
          ++p;
          continue;
        }
        char* end = nullptr;
        errno = 0;
        long id = std::strtol(p, &end, 10);
        if (end == p || (*end != ' ' && *end != '\0') || errno != 0) {
          fail("expected a token id, found \"" + std::string(p, std::min<std::size_t>(std::strlen(p), 20)) + "\"");
        }
        if (id < 0 || id >= vocab_size) {
          fail("token id " + std::to_string(id) + " is outside the vocabulary of " + tokenizer_path_ + " (ids 0.." +
               std::to_string(vocab_size - 1) + ")");
        }
        ids.push_back(static_cast<std::int32_t>(id));
        p = end;
      }
      out << '>' << std::string_view(line.data(), tab) << '\n' << tokenizer.decode(ids) << '\n';
      ++records;
    }
    out.commit();
    LOG_INFO("decoded " << count_noun(records, "record"));
    return 0;
  }

 private:
  std::string tokenizer_path_;
  std::string input_;
  std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_tokenizer_decode_command() { return std::make_unique<TokenizerDecodeCommand>(); }

}  // namespace genobird::cli
