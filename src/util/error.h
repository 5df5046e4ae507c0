// Typed errors of genobird.
//
// Library code throws these; only tools/genobird/main.cc catches them and maps them to exit codes:
// UsageError -> 2 (bad command line), every other Error -> 1 (bad input or a failure while running).
// Messages say what was expected and what was found; InputError also names the file and the line
// (or record) at fault, formatted as "FILE:LINE: what".
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace genobird {

// Base of every error genobird reports to a user.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

// A command line that cannot be run: unknown option, missing required option, bad option value.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what) {}
};

// Bad content in an input file. `line` is 1-based; 0 means the position is not a line (for example a
// whole file, or a binary record named in `what`).
class InputError : public Error {
 public:
  InputError(const std::string& file, std::uint64_t line, const std::string& what);
  const std::string& file() const { return file_; }
  std::uint64_t line() const { return line_; }

 private:
  std::string file_;
  std::uint64_t line_;
};

// A file that is not of the expected format at all (wrong magic, undecodable container).
class FormatError : public Error {
 public:
  explicit FormatError(const std::string& what) : Error(what) {}
};

// A model directory, configuration or tensor file that does not match what the code expects.
class ModelError : public Error {
 public:
  explicit ModelError(const std::string& what) : Error(what) {}
};

// A system call that failed (open, write, rename); the message carries strerror(errno).
class IoError : public Error {
 public:
  explicit IoError(const std::string& what) : Error(what) {}
};

// Returns "what: strerror(errno)" for the current errno.
std::string with_errno(const std::string& what);

// The message of a JSON parser's exception without the library's tag ("[json.exception.parse_error.101]
// parse error at line 3, column 5: ..." becomes "line 3, column 5: ..."), for errors users read.
std::string json_error_text(const char* what);

// Display name of a path for messages: "-" reads as "stdin".
std::string display_name(const std::string& path);

}  // namespace genobird
