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

std::string json_error_text(const char* what) {
  std::string text = what;
  if (text.rfind("[json.exception.", 0) == 0) {
    const auto end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  for (const char* prefix : {"parse error at ", "parse error: "})
    if (text.rfind(prefix, 0) == 0) text.erase(0, std::string(prefix).size());
  return text;
}

std::string display_name(const std::string& path) { return path == "-" ? "stdin" : path; }

}  // namespace genobird
