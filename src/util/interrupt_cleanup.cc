#include "util/interrupt_cleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace genobird {
namespace {

constexpr int kCleanedSignals[] = {SIGINT, SIGTERM, SIGHUP};

std::mutex& registry_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::vector<std::string>& registry() {
  static std::vector<std::string> paths;
  return paths;
}

int wake_pipe[2] = {-1, -1};

extern "C" void on_signal(int sig) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  // The only async-signal-safe step: hand the signal to the helper thread. A second signal while the
  // first is being handled is queued the same way and changes nothing.
  [[maybe_unused]] ssize_t n = ::write(wake_pipe[1], &byte, 1);
  errno = saved;
}

void remove_locked() noexcept {
  for (const auto& path : registry()) {
    std::error_code error;
    std::filesystem::remove_all(path, error);
  }
  registry().clear();
}

// Reads the signal, removes the registered paths while holding the registry (so no new path is added and
// left behind), then ends the process as the signal would have.
void helper_thread() {
  unsigned char byte = 0;
  for (;;) {
    ssize_t n = ::read(wake_pipe[0], &byte, 1);
    if (n == 1) break;
    if (n < 0 && errno == EINTR) continue;
    return;  // the pipe is gone: nothing left to watch
  }
  const int sig = byte;
  std::lock_guard<std::mutex> lock(registry_mutex());
  remove_locked();
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  ::sigaction(sig, &action, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(sig);
  std::_Exit(128 + sig);  // not reached: the default action of these signals ends the process
}

[[noreturn]] void on_terminate() {
  remove_registered_temp_paths();
  std::abort();
}

}  // namespace

void install_interrupt_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe2(wake_pipe, O_CLOEXEC) != 0) return;  // without the pipe, signals keep their default action
    std::thread(helper_thread).detach();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // reads and writes in progress go on until the helper ends the process
    for (int sig : kCleanedSignals) {
      struct sigaction previous {};
      ::sigaction(sig, nullptr, &previous);
      // A signal the caller chose to ignore (nohup, a shell's background job) stays ignored.
      if (previous.sa_handler != SIG_IGN) ::sigaction(sig, &action, nullptr);
    }
    ::signal(SIGPIPE, SIG_IGN);
    std::set_terminate(on_terminate);
  });
}

void register_temp_path(const std::string& path) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  registry().push_back(path);
}

void unregister_temp_path(const std::string& path) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto& paths = registry();
  auto it = std::find(paths.rbegin(), paths.rend(), path);
  if (it != paths.rend()) paths.erase(std::next(it).base());
}

void remove_registered_temp_paths() noexcept {
  std::unique_lock<std::mutex> lock(registry_mutex(), std::try_to_lock);
  // From std::terminate the registry may be held by the failing thread itself; removing without the lock
  // is then the lesser evil, as the process is about to abort anyway.
  remove_locked();
}

}  // namespace genobird
