#include "util/output_file.h"
#include "util/temp_file.h"

#include <fcntl.h>
#include <htslib/bgzf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "util/error.h"

namespace genobird {
namespace {
constexpr std::size_t kBufferSize = 1 << 20;

void write_all(int fd, const char* data, std::size_t size, const std::string& name) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(with_errno("cannot write " + name));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}
}  // namespace

bool is_gz_path(const std::string& path) {
  return path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

int open_temp_beside(const std::string& path, std::string& temp_path) {
  std::vector<char> templ(path.begin(), path.end());
  const char suffix[] = ".tmp.XXXXXX";
  templ.insert(templ.end(), suffix, suffix + sizeof suffix);  // includes the NUL
  const int fd = mkstemp(templ.data());
  if (fd < 0) throw IoError(with_errno("cannot create output file " + path));
  temp_path = templ.data();
  // mkstemp creates mode 0600; give the file the permissions a plain open() would.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  return fd;
}

OutputFile::OutputFile(const std::string& path) : path_(path) {
  buffer_.reserve(kBufferSize);
  if (path.empty() || path == "-") {
    to_stdout_ = true;
    path_ = "-";
    fd_ = STDOUT_FILENO;
    return;
  }
  fd_ = open_temp_beside(path, temp_path_);
  if (is_gz_path(path)) {
    BGZF* bgzf = bgzf_dopen(fd_, "w");
    if (bgzf == nullptr) {
      discard();
      throw IoError("cannot open bgzip stream for " + path);
    }
    bgzf_ = bgzf;
  }
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

void OutputFile::flush_buffer() {
  if (buffer_.empty()) return;
  if (bgzf_ != nullptr) {
    if (bgzf_write(static_cast<BGZF*>(bgzf_), buffer_.data(), buffer_.size()) < 0)
      throw IoError("cannot write compressed data to " + path_);
  } else {
    write_all(fd_, buffer_.data(), buffer_.size(), display_name(path_) == "-" ? "stdout" : path_);
  }
  buffer_.clear();
}

void OutputFile::commit() {
  if (committed_) throw IoError("output file " + path_ + " committed twice");
  try {
    flush_buffer();
  } catch (...) {
    discard();
    throw;
  }
  committed_ = true;
  if (to_stdout_) return;
  if (bgzf_ != nullptr) {
    int rc = bgzf_close(static_cast<BGZF*>(bgzf_));  // also closes fd_
    bgzf_ = nullptr;
    fd_ = -1;
    if (rc < 0) {
      std::remove(temp_path_.c_str());
      throw IoError("cannot finish compressed output " + path_);
    }
  } else {
    if (::close(fd_) != 0) {
      fd_ = -1;
      std::remove(temp_path_.c_str());
      throw IoError(with_errno("cannot close " + path_));
    }
    fd_ = -1;
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    int saved = errno;
    std::remove(temp_path_.c_str());
    errno = saved;
    throw IoError(with_errno("cannot rename output into place at " + path_));
  }
}

void OutputFile::discard() noexcept {
  committed_ = true;
  buffer_.clear();
  if (to_stdout_) return;
  if (bgzf_ != nullptr) {
    bgzf_close(static_cast<BGZF*>(bgzf_));
    bgzf_ = nullptr;
    fd_ = -1;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) std::remove(temp_path_.c_str());
}

}  // namespace genobird
