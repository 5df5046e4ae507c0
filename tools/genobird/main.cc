// genobird: subcommands listed in the table below. The same file builds two executables (see
// CMakeLists.txt): genobird-torch with every command, and the torch-free genobird, which runs the commands
// it has and hands every other command line to genobird-torch.
//
// This file is the only place that catches genobird errors and maps them to exit codes:
//   0 success; 1 bad input or a failure while running; 2 usage error (the error line and where the usage
//   is, "see 'genobird help CMD'", on stderr: the mistake stays on the screen, not above a page of help).
#include <htslib/hts.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <sstream>

#include "build_info.h"
#include "command.h"
#include "hand_over.h"
#include "util/error.h"
#include "util/interrupt_cleanup.h"
#include "util/log.h"
#include "util/output_file.h"
#ifdef GENOBIRD_WITH_MODEL
#include "model/allocator.h"
#endif

namespace genobird::cli {

std::unique_ptr<Command> make_extract_command();
std::unique_ptr<Command> make_reads_command();
std::unique_ptr<Command> make_tokenizer_train_command();
std::unique_ptr<Command> make_tokenizer_encode_command();
std::unique_ptr<Command> make_tokenizer_decode_command();
std::unique_ptr<Command> make_tokenizer_info_command();
#ifdef GENOBIRD_WITH_MODEL
std::unique_ptr<Command> make_model_init_command();
std::unique_ptr<Command> make_model_info_command();
#endif
#ifdef GENOBIRD_WITH_INFER
std::unique_ptr<Command> make_predict_command();
std::unique_ptr<Command> make_embed_command();
std::unique_ptr<Command> make_annotate_command();
std::unique_ptr<Command> make_variants_command();
std::unique_ptr<Command> make_mutagenesis_command();
#endif
#ifdef GENOBIRD_WITH_TRAIN
std::unique_ptr<Command> make_make_dataset_promoter_command();
std::unique_ptr<Command> make_make_dataset_chromatin_command();
std::unique_ptr<Command> make_finetune_promoter_command();
std::unique_ptr<Command> make_finetune_chromatin_command();
std::unique_ptr<Command> make_evaluate_command();
std::unique_ptr<Command> make_pretrain_command();
#endif

const std::vector<CommandEntry>& command_table() {
  static const std::vector<CommandEntry> table = {
      {"extract", "--genome FASTA --regions BED [--strand] [--name] [-o OUT]",
       "sequences of BED regions from a genome (as bedtools getfasta)", make_extract_command},
      {"reads", "--input BAM|CRAM|SAM|FASTQ [--reference FASTA] [--region R] [--min-mapq N] [-o OUT]",
       "read sequences as FASTA in their original orientation (as samtools fasta)", make_reads_command},
      {"tokenizer train", "--input FILE... [--vocab-size N] -o tokenizer.json [options]",
       "learn a DNA BPE vocabulary (HuggingFace tokenizer.json)", make_tokenizer_train_command},
      {"tokenizer encode", "--tokenizer tokenizer.json --input FASTA [-o OUT]",
       "token ids of each record: name<TAB>id id ...", make_tokenizer_encode_command},
      {"tokenizer decode", "--tokenizer tokenizer.json --input IDS [-o OUT]",
       "token id lines back to FASTA (inverse of encode)", make_tokenizer_decode_command},
      {"tokenizer info", "--tokenizer tokenizer.json [--input FASTA] [--longest N]",
       "vocabulary size, bp per token on an input, longest tokens", make_tokenizer_info_command},
#ifdef GENOBIRD_WITH_MODEL
      {"model init", "(--preset NAME | --config config.json) --tokenizer tokenizer.json --out DIR",
       "a freshly initialised model directory (HuggingFace BigBird layout)", make_model_init_command},
      {"model info", "DIR", "config, heads, parameter count, tokenizer size and provenance of a model", make_model_info_command},
#endif
#ifdef GENOBIRD_WITH_INFER
      {"predict", "[--model DIR] (--genome FASTA --regions BED | --fasta FASTA) [-o OUT.tsv] [options]",
       "head probabilities for BED regions or FASTA records (TSV)", make_predict_command},
      {"embed", "[--model DIR] (--genome FASTA --regions BED | --fasta FASTA | --reads BAM) -o OUT [options]",
       "encoder embeddings of regions, records or reads (.npy, .safetensors, TSV)", make_embed_command},
      {"annotate", "[--model DIR] --genome FASTA [--regions BED] [-o OUT.bedgraph|OUT.bw] [options]",
       "promoter (or chromatin) signal along a genome: bedGraph or bigWig, peaks, SVG plot", make_annotate_command},
      {"variants", "[--model DIR] --genome FASTA --vcf VCF|BCF [--region R] [-o OUT.tsv|.vcf.gz|.bcf] [options]",
       "effect of each ALT allele on the model's probabilities (VCF INFO fields or TSV)", make_variants_command},
      {"mutagenesis", "[--model DIR] (--genome FASTA --region CHR:START-END | --fasta FASTA) [--plot OUT.svg] [-o OUT.tsv]",
       "in-silico saturation mutagenesis: every base changed to the 3 others (TSV, SVG heat map)",
       make_mutagenesis_command},
#endif
#ifdef GENOBIRD_WITH_TRAIN
      {"pretrain",
       "--genome FASTA... --tokenizer tokenizer.json (--preset NAME | --config config.json) --out MODEL_DIR [--steps N] "
       "[--batch-size N] [--seq-len TOKENS] [--lr X] [--checkpoint-every N] [--valid-genome FASTA] [--resume] [--reads BAM|FASTQ...]",
       "masked-language-model pretraining on genomes (checkpoints, resume, data parallel)", make_pretrain_command},
      {"make-dataset promoter", "--positives BED|FASTA [--genome FASTA] [--window -249..+50] [--negatives deepromoter|genome|FILE] --out DIR",
       "labelled promoter windows (train/valid/test) with DeePromoter or genome negatives", make_make_dataset_promoter_command},
      {"make-dataset chromatin", "--genome FASTA (--peaks BED... | --peak-table BED) [--bin 200] [--window 1000] --out DIR",
       "DeepSEA-style chromatin-profile bins from peak files (train/valid/test)", make_make_dataset_chromatin_command},
      {"finetune promoter", "(--model DIR | --preset NAME --tokenizer JSON) --train DATA --valid DATA --out DIR",
       "train the promoter head (early stopping, checkpoints)", make_finetune_promoter_command},
      {"finetune chromatin", "(--model DIR | --preset NAME --tokenizer JSON) --train DATA --valid DATA --out DIR",
       "train the chromatin-profile head (positives weighted x8)", make_finetune_chromatin_command},
      {"evaluate", "--model DIR (--data DATA [--rc mean|max|off] [--curves PREFIX] | --fasta FA [--seq-len N] [--windows N]) [--json] [-o OUT]",
       "metrics of a head per label and summarised (TSV or JSON), ROC/PR curves (SVG); masked-token accuracy on a FASTA",
       make_evaluate_command},
#endif
  };
  return table;
}

namespace {

constexpr const char* kTagline = "genobird: BigBird sparse-attention transformers for genomes";

void print_overview(std::ostream& out) {
  out << kTagline << "\n\nUsage: genobird <command> [options]\n\nCommands:\n";
  for (const auto& entry : command_table()) {
    std::string name = entry.name;
    out << "  " << name << std::string(name.size() < 20 ? 20 - name.size() : 1, ' ') << entry.summary << "\n";
  }
  out << "\nCommon: genobird --version [--verbose], genobird help <command>, genobird <command> --help\n"
         "Exit status: 0 success, 1 bad input or failure, 2 usage error.\n";
}

// Entries whose name is `prefix` followed by a space: the sub-commands of a command group.
std::vector<const CommandEntry*> group_members(const std::string& prefix) {
  std::vector<const CommandEntry*> members;
  for (const auto& entry : command_table()) {
    std::string name = entry.name;
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 && name[prefix.size()] == ' ')
      members.push_back(&entry);
  }
  return members;
}

void print_group(std::ostream& out, const std::string& group) {
  out << "Usage: genobird " << group << " <command> [options]\n\nCommands:\n";
  for (const auto* entry : group_members(group))
    out << "  genobird " << entry->name << " " << entry->synopsis << "\n      " << entry->summary << "\n";
}

// Finds the entry named by args[0] (and args[1] for a group); sets `consumed` to the words used.
// Returns nullptr when there is none; `group` is then set if args[0] names a group.
const CommandEntry* find_command(const std::vector<std::string>& args, std::size_t& consumed, std::string& group) {
  consumed = 0;
  group.clear();
  if (args.empty()) return nullptr;
  for (const auto& entry : command_table()) {
    if (args[0] == entry.name) {
      consumed = 1;
      return &entry;
    }
  }
  if (!group_members(args[0]).empty()) {
    group = args[0];
    if (args.size() >= 2) {
      std::string name = args[0] + " " + args[1];
      for (const auto& entry : command_table()) {
        if (name == entry.name) {
          consumed = 2;
          return &entry;
        }
      }
    }
  }
  return nullptr;
}

struct Parsed {
  po::options_description options{"Options", 100};
  po::positional_options_description positional;
  std::unique_ptr<Command> command;
};

void print_command_usage(std::ostream& out, const CommandEntry& entry, const Parsed& parsed) {
  out << "Usage: genobird " << entry.name << " " << entry.synopsis << "\n\n" << entry.summary << "\n";
  std::string description = parsed.command->description();
  if (!description.empty()) out << "\n" << description << "\n";
  out << "\n" << parsed.options;
}

// Checks that every output of the command line can be written, before the command starts its work.
void check_outputs(const po::variables_map& vm, const Command& command) {
  if (vm.count("output")) check_output_path(vm["output"].as<std::string>(), "-o");
  for (const auto& output : command.outputs()) {
    if (output.path.empty()) continue;
    if (output.folder)
      check_output_folder(output.path, output.option);
    else
      check_output_path(output.path, output.option);
  }
}

// A usage error: one line saying what is wrong, one saying where the usage is (`help_topic`: a command, a
// command group, or empty for the list of commands). Returns the exit status of usage errors.
int usage_error(const std::string& command, const std::string& message, const std::string& help_topic) {
  std::cerr << "genobird" << (command.empty() ? "" : " " + command) << ": error: " << message << "\n"
            << "see 'genobird help" << (help_topic.empty() ? "" : " " + help_topic) << "'\n";
  return 2;
}

int run_command(const CommandEntry& entry, const std::vector<std::string>& args) {
  Parsed parsed;
  parsed.command = entry.make();
  parsed.command->add_options(parsed.options, parsed.positional);
  bool quiet = false;
  bool verbose = false;
  parsed.options.add_options()("help,h", "print this help and exit")
      ("quiet,q", po::bool_switch(&quiet), "only errors on stderr")
      ("verbose,v", po::bool_switch(&verbose), "debug messages on stderr");
  set_log_prefix(std::string("genobird ") + entry.name);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(parsed.options).positional(parsed.positional).run(), vm);
    if (vm.count("help")) {
      print_command_usage(std::cout, entry, parsed);
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    return usage_error(entry.name, e.what(), entry.name);
  }
  if (quiet) set_log_level(LogLevel::kError);
  if (verbose) set_log_level(LogLevel::kDebug);
  // htslib's own messages duplicate the errors genobird reports; show them only when asked for.
  hts_set_log_level(verbose ? HTS_LOG_WARNING : HTS_LOG_OFF);

  install_interrupt_cleanup();
  try {
    check_outputs(vm, *parsed.command);
    return parsed.command->run(vm);
  } catch (const BrokenPipe&) {
    return 141;  // the reader of stdout went away (`| head`): as quiet as the SIGPIPE it stands for
  } catch (const UsageError& e) {
    return usage_error(entry.name, e.what(), entry.name);
  } catch (const Error& e) {
    std::cerr << "genobird " << entry.name << ": error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "genobird " << entry.name << ": error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "genobird " << entry.name << ": error: " << json_error_text(e.what()) << "\n";
    return 1;
  }
}

int print_version(bool verbose) {
  std::cout << "genobird " << kGenobirdVersion << "\n";
  if (verbose) {
    std::cout << "htslib " << hts_version() << "\n";
    for (const auto& line : build_info_lines()) std::cout << line << "\n";
  }
  return 0;
}

#ifdef GENOBIRD_HAND_OVER
// Whether this executable answers the command line itself: a command of its table (or help for one), or
// the plain version. The overview, group help and --version --verbose describe every command and library,
// so they are answered by genobird-torch.
bool answers_itself(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  if (args[0] == "--version" || args[0] == "-V") return args.size() == 1;
  std::vector<std::string> rest(args.begin() + (args[0] == "help" ? 1 : 0), args.end());
  std::size_t consumed = 0;
  std::string group;
  return find_command(rest, consumed, group) != nullptr;
}
#endif

}  // namespace

int main_dispatch(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
#ifdef GENOBIRD_HAND_OVER
  if (!answers_itself(args)) return hand_over_to_torch_binary(argv);
#endif
  if (args.empty()) {
    print_overview(std::cerr);
    return 2;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || (first == "help" && args.size() == 1)) {
    print_overview(std::cout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    bool verbose = args.size() >= 2 && (args[1] == "--verbose" || args[1] == "-v");
    return print_version(verbose);
  }
  bool help = first == "help";
  std::vector<std::string> rest(args.begin() + (help ? 1 : 0), args.end());

  std::size_t consumed = 0;
  std::string group;
  const CommandEntry* entry = find_command(rest, consumed, group);
  if (entry == nullptr) {
    bool group_help = !group.empty() && (help || rest.size() == 1 || rest[1] == "--help" || rest[1] == "-h");
    if (group_help && (rest.size() <= 2)) {
      print_group(help || rest.size() == 2 ? std::cout : std::cerr, group);
      return help || rest.size() == 2 ? 0 : 2;
    }
    std::string name = group.empty() ? rest[0] : rest[0] + " " + (rest.size() > 1 ? rest[1] : "");
    return usage_error("", "unknown command '" + name + "'", group);
  }
  std::vector<std::string> command_args(rest.begin() + static_cast<long>(consumed), rest.end());
  if (help) command_args = {"--help"};
  return run_command(*entry, command_args);
}

}  // namespace genobird::cli

int main(int argc, char** argv) {
#ifdef GENOBIRD_WITH_MODEL
  genobird::model::use_cpu_tensor_cache();  // the model commands run batch after batch of same-shaped tensors
#endif
  return genobird::cli::main_dispatch(argc, argv);
}
