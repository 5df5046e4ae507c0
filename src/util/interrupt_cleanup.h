// Removing temporary files when a run is interrupted.
//
// A failed run removes its temporary files as its exceptions unwind (OutputFile's destructor). A signal
// does not unwind, so the paths still in use are kept in a process-wide registry, and
// install_interrupt_cleanup() arranges that SIGINT, SIGTERM and SIGHUP remove every registered path before
// the process ends with the signal's usual status (130, 143, 129): a pipeline sees the interruption and
// finds no half-written file. SIGPIPE is ignored instead, so that a write to a closed pipe fails as an
// error (OutputFile turns it into BrokenPipe) and the run unwinds normally.
//
// The signal handler itself only writes the signal number to a pipe (async-signal-safe); a helper thread
// reads it, removes the paths (files, or folders with their contents) and re-raises the signal with its
// default action. Thread-safe.
#pragma once

#include <string>

namespace genobird {

// Installs the handlers and starts the helper thread. Idempotent; call it once, early in main.
void install_interrupt_cleanup();

// Registers `path` (a file or a folder) for removal on interruption, until unregistered.
void register_temp_path(const std::string& path);
void unregister_temp_path(const std::string& path);

// Removes every registered path now (also what std::terminate does before aborting). Returns nothing;
// paths already gone are ignored.
void remove_registered_temp_paths() noexcept;

// RAII registration.
class TempPathGuard {
 public:
  explicit TempPathGuard(std::string path) : path_(std::move(path)) { register_temp_path(path_); }
  ~TempPathGuard() { unregister_temp_path(path_); }
  TempPathGuard(const TempPathGuard&) = delete;
  TempPathGuard& operator=(const TempPathGuard&) = delete;

 private:
  std::string path_;
};

}  // namespace genobird
