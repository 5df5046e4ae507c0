// The subcommand interface of the genobird binary.
//
// Each subcommand lives in its own cmd_<name>.cc, derives from Command and is listed once in the table
// in main.cc. The dispatcher owns everything common: option parsing (Boost.Program_options), --help,
// -q/-v, error messages and exit codes (0 success, 1 bad input or failure, 2 usage error; see
// ../shared/docs/CLI.md). A command's run() only does its job and throws genobird errors.
#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <string>
#include <vector>

namespace genobird::cli {

namespace po = boost::program_options;

// A file or folder a command will write besides -o/--output (which the dispatcher checks for every
// command), named by its option, so that a path that cannot be written fails before the work starts.
struct OutputPath {
  std::string option;  // "--peaks"
  std::string path;    // "" : not asked for
  bool folder = false;  // a folder the command creates or writes into
};

class Command {
 public:
  virtual ~Command() = default;
  // Declares the command's options; `positional` maps bare arguments to option names, if any.
  virtual void add_options(po::options_description& options, po::positional_options_description& positional) = 0;
  // Runs the command with parsed, notified options. Returns the exit status (normally 0).
  virtual int run(const po::variables_map& vm) = 0;
  // Outputs besides -o, with their parsed values (called after the options are parsed, before run()).
  virtual std::vector<OutputPath> outputs() const { return {}; }
  // A few sentences shown under the synopsis in --help.
  virtual std::string description() const { return {}; }
};

struct CommandEntry {
  const char* name;      // "extract", or "tokenizer train" for a command with sub-commands
  const char* synopsis;  // options after the name, e.g. "--genome FASTA --regions BED [options]"
  const char* summary;   // one line for the command list
  std::unique_ptr<Command> (*make)();
};

// The table in main.cc.
const std::vector<CommandEntry>& command_table();

}  // namespace genobird::cli
