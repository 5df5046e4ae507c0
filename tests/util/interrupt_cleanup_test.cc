#include "util/interrupt_cleanup.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "scratch_dir.h"

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) { return genobird::test::fresh_scratch_subdir(name); }

// In the death-test child (forked: it shares the parent's scratch folder): registers a file and a folder, keeps a third file unregistered, raises `sig`
// and waits to be ended by it.
void register_then_raise(const fs::path& dir, int sig) {
  genobird::install_interrupt_cleanup();
  std::ofstream(dir / "temp.txt") << "partial";
  fs::create_directories(dir / "staging" / "inner");
  std::ofstream(dir / "staging" / "inner" / "state.json") << "{}";
  std::ofstream(dir / "kept.txt") << "finished";
  genobird::register_temp_path((dir / "temp.txt").string());
  genobird::register_temp_path((dir / "staging").string());
  ::kill(::getpid(), sig);
  std::this_thread::sleep_for(std::chrono::seconds(10));
  std::_Exit(0);  // not reached when the signal ends the process
}

}  // namespace

class InterruptCleanup : public ::testing::TestWithParam<int> {};

TEST_P(InterruptCleanup, SignalRemovesRegisteredPathsAndEndsWithTheSignal) {
  const int sig = GetParam();
  fs::path dir = fresh_dir("interrupt_" + std::to_string(sig));
  EXPECT_EXIT(register_then_raise(dir, sig), ::testing::KilledBySignal(sig), "");
  EXPECT_FALSE(fs::exists(dir / "temp.txt"));
  EXPECT_FALSE(fs::exists(dir / "staging")) << "a registered folder goes with its contents";
  EXPECT_TRUE(fs::exists(dir / "kept.txt")) << "unregistered files stay";
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptCleanup, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGINT ? "SIGINT" : info.param == SIGTERM ? "SIGTERM" : "SIGHUP");
                         });

TEST(InterruptCleanupRegistry, UnregisteredPathsAreNotRemoved) {
  fs::path dir = fresh_dir("unregistered");
  std::ofstream(dir / "done.txt") << "x";
  {
    genobird::TempPathGuard guard((dir / "done.txt").string());
  }
  genobird::remove_registered_temp_paths();
  EXPECT_TRUE(fs::exists(dir / "done.txt"));
  genobird::register_temp_path((dir / "done.txt").string());
  genobird::remove_registered_temp_paths();
  EXPECT_FALSE(fs::exists(dir / "done.txt"));
}
