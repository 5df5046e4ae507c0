// Progress of long work on stderr.
//
// On a terminal it redraws one live line ("genobird extract: 1.2 Mbp, 3.4 Mbp/s, 45% ETA 0:12"); otherwise
// it writes a log line every `interval_s` seconds, so pipeline logs stay readable. Lines carry the log prefix
// (util/log.h), which names the command, so the work itself is named once. Silent below LogLevel::kInfo.
// add() is thread-safe and cheap (an atomic add and a clock read), so workers may call it per item.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace genobird {

class Progress {
 public:
  // `unit` and `units` name one counted item and several ("region", "regions"; "bp", "bp"), `total` is 0
  // when unknown (then no percentage or ETA is shown).
  Progress(std::string unit, std::string units, std::uint64_t total = 0, double interval_s = 5.0);
  // Reports "done" as finish() does, unless an exception is unwinding the work: a failed run ends with its
  // error, not with a summary that reads as success.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(std::uint64_t n);
  // Writes the final line (count, rate, elapsed). Called by the destructor if not called before.
  void finish();

  std::uint64_t count() const { return count_.load(); }

 private:
  void report(bool final_line);
  std::string format_line(double elapsed_s) const;

  std::string unit_;
  std::string units_;
  std::uint64_t total_;
  double interval_s_;
  bool live_;
  bool finished_ = false;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> next_check_ns_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  int exceptions_at_start_;
};

// "1.23 M" style number with SI prefix, for rates and counts in messages.
std::string si_number(double value);

}  // namespace genobird
