#include "io/line_reader.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/limits.h"

namespace genobird::io {
namespace {
constexpr std::size_t kChunk = 1 << 20;
}

LineReader::LineReader(const std::string& path) : path_(path), buffer_(kChunk) {
  gzFile gz = nullptr;
  if (path == "-") {
    int fd = dup(STDIN_FILENO);
    if (fd >= 0) gz = gzdopen(fd, "rb");
  } else {
    // Open with open(2) first so a missing file reports errno cleanly.
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) throw InputError(path, 0, with_errno("cannot open file"));
    gz = gzdopen(fd, "rb");
    if (gz == nullptr) ::close(fd);
  }
  if (gz == nullptr) throw InputError(path, 0, "cannot open file for reading");
  gzbuffer(gz, 1 << 17);
  gz_ = gz;
}

LineReader::~LineReader() {
  if (gz_ != nullptr) gzclose(static_cast<gzFile>(gz_));
}

bool LineReader::fill() {
  if (eof_) return false;
  // Keep the unread tail at the front of the buffer.
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, size_ - pos_);
    size_ -= pos_;
    pos_ = 0;
  }
  if (size_ == buffer_.size()) {
    // A line longer than any text format needs (a binary file, or /dev/zero through a pipe) ends here,
    // before the buffer grows without bound.
    if (buffer_.size() >= limits::kMaxLineBytes)
      throw FormatError(limits::out_of_range_message(std::to_string(buffer_.size()) + "+", "line length (bytes)",
                                                     path_ + ":" + std::to_string(line_number_ + 1),
                                                     "max " + std::to_string(limits::kMaxLineBytes)));
    buffer_.resize(buffer_.size() * 2);
  }
  auto* gz = static_cast<gzFile>(gz_);
  int n = gzread(gz, buffer_.data() + size_, static_cast<unsigned>(buffer_.size() - size_));
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(gz, &code);
    throw InputError(path_, line_number_ + 1,
                     std::string("corrupt compressed data (") + (message ? message : "zlib error") + ")");
  }
  if (n == 0) {
    int code = 0;
    gzerror(gz, &code);
    // zlib reports a stream cut short as Z_BUF_ERROR at the end of input.
    if (code == Z_BUF_ERROR)
      throw InputError(path_, line_number_ + 1, "truncated gzip stream (the file ends in the middle of the data)");
    eof_ = true;
    return false;
  }
  if (std::memchr(buffer_.data() + size_, '\0', static_cast<std::size_t>(n)) != nullptr) {
    // Report the line the NUL byte is on.
    const char* start = buffer_.data() + pos_;
    const char* nul = static_cast<const char*>(std::memchr(buffer_.data() + size_, '\0', static_cast<std::size_t>(n)));
    std::uint64_t line = line_number_ + 1;
    for (const char* p = start; p < nul; ++p) line += (*p == '\n');
    throw InputError(path_, line, "NUL byte in a text file (is this a binary file?)");
  }
  size_ += static_cast<std::size_t>(n);
  return true;
}

bool LineReader::next(std::string& line) {
  for (;;) {
    const char* begin = buffer_.data() + pos_;
    const char* newline = static_cast<const char*>(std::memchr(begin, '\n', size_ - pos_));
    if (newline != nullptr) {
      std::size_t length = static_cast<std::size_t>(newline - begin);
      if (length > 0 && begin[length - 1] == '\r') --length;
      line.assign(begin, length);
      pos_ += static_cast<std::size_t>(newline - begin) + 1;
      ++line_number_;
      return true;
    }
    if (!fill()) {
      if (pos_ == size_) return false;
      // Last line without a final newline.
      std::size_t length = size_ - pos_;
      if (length > 0 && buffer_[pos_ + length - 1] == '\r') --length;
      line.assign(buffer_.data() + pos_, length);
      pos_ = size_;
      ++line_number_;
      return true;
    }
  }
}

}  // namespace genobird::io
