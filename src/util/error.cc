#include "util/error.h"

#include <cerrno>
#include <cstring>

namespace genobird {

static std::string position(const std::string& file, std::uint64_t line) {
  std::string where = display_name(file);
  if (line > 0) where += ":" + std::to_string(line);
  return where;
}

InputError::InputError(const std::string& file, std::uint64_t line, const std::string& what)
    : Error(position(file, line) + ": " + what), file_(file), line_(line) {}

std::string with_errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

std::string display_name(const std::string& path) { return path == "-" ? "stdin" : path; }

}  // namespace genobird
