#include "util/output_file.h"

#include <fcntl.h>
#include <htslib/bgzf.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "util/interrupt_cleanup.h"
#include "util/temp_file.h"

namespace genobird {
namespace {
constexpr std::size_t kBufferSize = 1 << 20;
constexpr const char kTempSuffix[] = ".tmp.XXXXXX";

[[noreturn]] void throw_write_error(const std::string& name) {
  if (errno == EPIPE) throw BrokenPipe(with_errno("cannot write " + name));
  throw IoError(with_errno("cannot write " + name));
}

void write_all(int fd, const char* data, std::size_t size, const std::string& name) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_write_error(name);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

bool is_stream(int fd) {
  if (::isatty(fd)) return true;
  struct stat st {};
  return ::fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

// Whether `path` is written directly rather than replaced: it exists and is something other than a regular
// file or folder (after following links), or it names an open file of the process (/dev/stdout, /dev/fd/N,
// /proc/self/fd/N: what a shell's redirection or process substitution opened, to be written, not renamed over).
bool is_special_file(const std::string& path) {
  for (const char* open_file : {"/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"})
    if (path.rfind(open_file, 0) == 0) return true;
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// The file an atomic write replaces: a symbolic link's target (so the link stays a link), else `path`.
std::string replaced_path(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char* target = ::realpath(path.c_str(), nullptr);
  if (target == nullptr) return path;  // a dangling link is replaced by the new file
  std::string resolved = target;
  std::free(target);
  return resolved;
}

std::string base_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string folder_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// "FOLDER/NAME.tmp.XXXXXX", with NAME shortened when the whole would pass the file-name limit.
std::string temp_template(const std::string& path) {
  const std::string base = base_name(path);
  const std::size_t room = NAME_MAX - (sizeof kTempSuffix - 1);
  const std::string prefix = path.substr(0, path.size() - base.size());
  return prefix + base.substr(0, std::min(base.size(), room)) + kTempSuffix;
}

void rename_or_throw(const std::string& from, const std::string& to, const std::string& shown) {
  if (std::rename(from.c_str(), to.c_str()) != 0) throw IoError(with_errno("cannot rename output into place at " + shown));
}

}  // namespace

bool is_gz_path(const std::string& path) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

OutputFile::OutputFile(const std::string& path) : path_(path) {
  buffer_.reserve(kBufferSize);
  if (path.empty() || path == "-") {
    kind_ = Kind::kStdout;
    path_ = "-";
    fd_ = STDOUT_FILENO;
    interactive_ = is_stream(fd_);
    return;
  }
  if (is_special_file(path)) {
    kind_ = Kind::kDirect;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd_ < 0) throw IoError(with_errno("cannot open output " + path));
    interactive_ = is_stream(fd_);
  } else {
    open_atomic();
  }
  if (is_gz_path(path)) {
    BGZF* bgzf = bgzf_dopen(fd_, "w");
    if (bgzf == nullptr) {
      discard();
      throw IoError("cannot open bgzip stream for " + path);
    }
    bgzf_ = bgzf;
  }
}

int open_temp_beside(const std::string& path, std::string& temp_path) {
  check_output_path(path, path);
  std::string name = temp_template(path);
  std::vector<char> templ(name.begin(), name.end());
  templ.push_back('\0');
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) throw IoError(with_errno("cannot create output file " + path));
  temp_path = templ.data();
  register_temp_path(temp_path);
  // mkstemp creates mode 0600; give the file the permissions a plain open() would.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return fd;
}

TempFileBeside::TempFileBeside(std::string path) : path_(std::move(path)) { ::close(open_temp_beside(path_, temp_path_)); }

TempFileBeside::~TempFileBeside() {
  if (!committed_) std::remove(temp_path_.c_str());
  unregister_temp_path(temp_path_);
}

void TempFileBeside::commit() {
  rename_or_throw(temp_path_, path_, path_);
  committed_ = true;
}

void OutputFile::open_atomic() {
  kind_ = Kind::kAtomic;
  final_path_ = replaced_path(path_);
  fd_ = open_temp_beside(final_path_, temp_path_);
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::write(std::string_view data) {
  if (committed_) throw IoError("write to " + path_ + " after it was closed");
  if (buffer_.size() + data.size() > kBufferSize) flush_buffer();
  if (data.size() >= kBufferSize) {
    buffer_.assign(data);
    flush_buffer();
    return;
  }
  buffer_.append(data);
}

void OutputFile::commit_chunk() {
  if (!interactive_ || committed_) return;
  flush_buffer();
  if (bgzf_ != nullptr && bgzf_flush(static_cast<BGZF*>(bgzf_)) < 0) throw_write_error(path_);
}

void OutputFile::set_companion_index(CompanionIndex index) {
  if (kind_ == Kind::kAtomic) index_ = std::move(index);
}

void OutputFile::flush_buffer() {
  if (buffer_.empty()) return;
  if (bgzf_ != nullptr) {
    errno = 0;
    if (bgzf_write(static_cast<BGZF*>(bgzf_), buffer_.data(), buffer_.size()) < 0) {
      if (errno == EPIPE) throw_write_error(path_);
      throw IoError("cannot write compressed data to " + path_ + (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
    }
  } else {
    write_all(fd_, buffer_.data(), buffer_.size(), is_stdout() ? "stdout" : path_);
  }
  buffer_.clear();
}

// Closes the stream, with everything written reaching the file (or failing loudly: a full disk shows at
// close for buffered and compressed writes).
void OutputFile::close_stream() {
  if (bgzf_ != nullptr) {
    errno = 0;
    int rc = bgzf_close(static_cast<BGZF*>(bgzf_));  // also closes fd_
    bgzf_ = nullptr;
    fd_ = -1;
    if (rc < 0) {
      if (errno == EPIPE) throw_write_error(path_);
      throw IoError("cannot finish compressed output " + path_ + (errno != 0 ? std::string(": ") + std::strerror(errno) : ""));
    }
    return;
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw IoError(with_errno("cannot close " + path_));
}

void OutputFile::commit() {
  if (committed_) throw IoError("output file " + path_ + " committed twice");
  try {
    flush_buffer();
    if (kind_ == Kind::kStdout) {
      committed_ = true;
      return;
    }
    close_stream();
    if (kind_ == Kind::kAtomic) {
      if (index_.build) {
        const std::string temp_index = temp_path_ + index_.suffix;
        const std::string final_index = final_path_ + index_.suffix;
        TempPathGuard temp_guard(temp_index);
        index_.build(temp_path_);
        // Until the data file is in place, an interruption removes the new index too, so the pair
        // appears together or not at all.
        TempPathGuard final_guard(final_index);
        rename_or_throw(temp_index, final_index, path_ + index_.suffix);
        try {
          rename_or_throw(temp_path_, final_path_, path_);
        } catch (...) {
          std::remove(final_index.c_str());
          throw;
        }
      } else {
        rename_or_throw(temp_path_, final_path_, path_);
      }
      unregister_temp_path(temp_path_);
      temp_path_.clear();
    }
    committed_ = true;
  } catch (...) {
    discard();
    throw;
  }
}

void OutputFile::discard() noexcept {
  committed_ = true;
  buffer_.clear();
  if (kind_ == Kind::kStdout) return;
  if (bgzf_ != nullptr) {
    bgzf_close(static_cast<BGZF*>(bgzf_));
    bgzf_ = nullptr;
    fd_ = -1;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) {
    std::remove(temp_path_.c_str());
    if (!index_.suffix.empty()) std::remove((temp_path_ + index_.suffix).c_str());
    unregister_temp_path(temp_path_);
    temp_path_.clear();
  }
}

void check_output_path(const std::string& path, const std::string& what) {
  if (path.empty() || path == "-" || is_special_file(path)) return;
  const std::string shown = what == path ? path : what + " " + path;
  const std::string base = base_name(path);
  if (base.size() > NAME_MAX)
    throw IoError("cannot write " + shown + ": the file name is " + std::to_string(base.size()) +
                  " bytes long, more than this system's limit of " + std::to_string(NAME_MAX));
  std::error_code error;
  if (base.empty() || std::filesystem::is_directory(path, error))
    throw IoError("cannot write " + shown + ": it is a folder; give a file name");
  const std::string folder = folder_of(path);
  if (!std::filesystem::is_directory(folder, error))
    throw IoError("cannot write " + shown + ": the folder " + folder + " does not exist");
  if (::access(folder.c_str(), W_OK | X_OK) != 0) throw IoError(with_errno("cannot write " + shown + ": folder " + folder));
}

void check_output_folder(const std::string& path, const std::string& what) {
  if (path.empty()) return;
  const std::string shown = what + " " + path;
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    if (!std::filesystem::is_directory(path, error)) throw IoError("cannot write " + shown + ": it exists and is not a folder");
    if (::access(path.c_str(), W_OK | X_OK) != 0) throw IoError(with_errno("cannot write into " + shown));
    return;
  }
  // The nearest existing ancestor must be a writable folder (create_directories makes the rest).
  std::filesystem::path ancestor = std::filesystem::path(path).parent_path();
  while (!ancestor.empty() && !std::filesystem::exists(ancestor, error)) ancestor = ancestor.parent_path();
  if (ancestor.empty()) ancestor = ".";
  if (!std::filesystem::is_directory(ancestor, error))
    throw IoError("cannot create " + shown + ": " + ancestor.string() + " is not a folder");
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0) throw IoError(with_errno("cannot create " + shown + ": folder " + ancestor.string()));
}

}  // namespace genobird
