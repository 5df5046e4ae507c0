#include "util/progress.h"

#include <unistd.h>

#include <cstdio>
#include <exception>

#include "util/log.h"

namespace genobird {
namespace {
std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
std::string clock_text(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}
}  // namespace

std::string si_number(double value) {
  const char* prefixes[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (value >= 1000.0 && i < 4) {
    value /= 1000.0;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, i == 0 ? "%.0f %s" : "%.2f %s", value, prefixes[i]);
  return buf;
}

Progress::Progress(std::string unit, std::string units, std::uint64_t total, double interval_s)
    : unit_(std::move(unit)),
      units_(std::move(units)),
      total_(total),
      interval_s_(interval_s),
      live_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      exceptions_at_start_(std::uncaught_exceptions()) {
  // A live line is redrawn often; a log line only every interval.
  double first = live_ ? 0.2 : interval_s_;
  next_check_ns_ = now_ns() + static_cast<std::int64_t>(first * 1e9);
}

Progress::~Progress() {
  if (std::uncaught_exceptions() <= exceptions_at_start_) {
    finish();
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  // Clears the live line, so that the error that follows starts on a line of its own.
  if (live_ && log_enabled(LogLevel::kInfo)) std::fputs("\r\033[K", stderr);
}

void Progress::add(std::uint64_t n) {
  count_.fetch_add(n, std::memory_order_relaxed);
  std::int64_t now = now_ns();
  std::int64_t due = next_check_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  double step = live_ ? 0.2 : interval_s_;
  if (!next_check_ns_.compare_exchange_strong(due, now + static_cast<std::int64_t>(step * 1e9))) return;
  report(false);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (!log_enabled(LogLevel::kInfo)) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = format_line(elapsed);
  if (live_) std::fputs("\r\033[K", stderr);
  log_message(LogLevel::kInfo, "done, " + line + " in " + clock_text(elapsed));
}

std::string Progress::format_line(double elapsed_s) const {
  double n = static_cast<double>(count_.load());
  std::string line = si_number(n) + (n == 1 ? unit_ : units_);
  if (elapsed_s > 0) line += ", " + si_number(n / elapsed_s) + units_ + "/s";
  if (total_ > 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, ", %.1f%%", 100.0 * n / static_cast<double>(total_));
    line += pct;
    if (n > 0 && n < static_cast<double>(total_))
      line += " ETA " + clock_text(elapsed_s * (static_cast<double>(total_) - n) / n);
  }
  return line;
}

void Progress::report(bool final_line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finished_ || !log_enabled(LogLevel::kInfo)) return;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = format_line(elapsed);
  if (live_ && !final_line) {
    std::fprintf(stderr, "\r\033[K%s: %s", log_prefix().c_str(), line.c_str());
    std::fflush(stderr);
  } else {
    log_message(LogLevel::kInfo, line);
  }
}

}  // namespace genobird
