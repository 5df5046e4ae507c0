#include "util/limits.h"

#include <sys/stat.h>

#include "util/error.h"

namespace genobird::limits {

std::string out_of_range_message(const std::string& value, const std::string& field, const std::string& file,
                                 const std::string& bound) {
  return "value " + value + " of field " + field + " in " + display_name(file) + " is out of range (" + bound + ")";
}

void check_range(std::int64_t value, std::int64_t min, std::int64_t max, const std::string& field, const std::string& file) {
  if (value > max)
    throw FormatError(out_of_range_message(std::to_string(value), field, file, "max " + std::to_string(max)));
  if (value < min)
    throw FormatError(out_of_range_message(std::to_string(value), field, file, "min " + std::to_string(min)));
}

std::uint64_t checked_file_size(const std::string& path, std::uint64_t max_bytes, const std::string& what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw IoError(with_errno("cannot open " + path));
  if (!S_ISREG(info.st_mode))
    throw InputError(path, 0, what + " must be a regular file, not a device, pipe or folder");
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes)
    throw FormatError(out_of_range_message(std::to_string(size), "file size", path,
                                           "max " + std::to_string(max_bytes) + " bytes for " + what));
  return size;
}

}  // namespace genobird::limits
