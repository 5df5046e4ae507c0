// Logging to stderr with levels. stdout carries data only, so every message goes to stderr.
//
// The level is process-wide and set once by the command-line layer (-q / -v). Thread-safe: a line is
// written with one call under a mutex, so lines from worker threads never interleave.
#pragma once

#include <sstream>
#include <string>

namespace genobird {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

void set_log_level(LogLevel level);
LogLevel log_level();

// Prefix of every line, e.g. "genobird extract"; set by the dispatcher.
void set_log_prefix(const std::string& prefix);
const std::string& log_prefix();

// Writes "PREFIX: [level: ]message\n" to stderr when `level` is enabled.
void log_message(LogLevel level, const std::string& message);

inline bool log_enabled(LogLevel level) { return level <= log_level(); }

}  // namespace genobird

// Stream-style helpers: LOG_INFO("read " << n << " records"). The message is only built when enabled.
#define GENOBIRD_LOG(level, expr)                                   \
  do {                                                              \
    if (::genobird::log_enabled(level)) {                           \
      std::ostringstream genobird_log_stream_;                      \
      genobird_log_stream_ << expr;                                 \
      ::genobird::log_message(level, genobird_log_stream_.str());   \
    }                                                               \
  } while (0)
#define LOG_WARN(expr) GENOBIRD_LOG(::genobird::LogLevel::kWarning, expr)
#define LOG_INFO(expr) GENOBIRD_LOG(::genobird::LogLevel::kInfo, expr)
#define LOG_DEBUG(expr) GENOBIRD_LOG(::genobird::LogLevel::kDebug, expr)
