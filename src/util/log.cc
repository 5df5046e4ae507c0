#include "util/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace genobird {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::string g_prefix = "genobird";
std::mutex g_mutex;
}  // namespace

void set_log_level(LogLevel level) { g_level = static_cast<int>(level); }
LogLevel log_level() { return static_cast<LogLevel>(g_level.load()); }
void set_log_prefix(const std::string& prefix) { g_prefix = prefix; }
const std::string& log_prefix() { return g_prefix; }

void log_message(LogLevel level, const std::string& message) {
  if (!log_enabled(level)) return;
  const char* tag = "";
  switch (level) {
    case LogLevel::kError: tag = "error: "; break;
    case LogLevel::kWarning: tag = "warning: "; break;
    case LogLevel::kDebug: tag = "debug: "; break;
    case LogLevel::kInfo: break;
  }
  std::string line = g_prefix + ": " + tag + message + "\n";
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace genobird
