#include "options.h"

#include <cstdlib>
#include <thread>

#include "util/error.h"

namespace genobird::cli {

void add_output_option(po::options_description& options, std::string& output) {
  options.add_options()("output,o", po::value(&output)->default_value("-"),
                        "output file; '-' is stdout, a .gz name is written bgzip-compressed");
}

void add_threads_option(po::options_description& options, int& threads) {
  options.add_options()("threads,t", po::value(&threads)->default_value(0),
                        "CPU threads; 0 uses every core");
}

int resolve_threads(int requested) {
  require(requested >= 0, "--threads must be 0 (all cores) or a positive number");
  int n = requested;
  if (n == 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string text = std::to_string(n);
  // OpenBLAS and OpenMP read these once, when first used; libtorch never sets them itself.
  setenv("OPENBLAS_NUM_THREADS", text.c_str(), 0);
  setenv("OMP_NUM_THREADS", text.c_str(), 0);
  return n;
}

void add_seed_option(po::options_description& options, unsigned long& seed) {
  options.add_options()("seed", po::value(&seed)->default_value(42), "random seed");
}

void add_device_option(po::options_description& options, std::string& device) {
  options.add_options()("device", po::value(&device)->default_value("auto"),
                        "cpu, cuda, cuda:N or auto (CUDA when available)");
}

void require(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

}  // namespace genobird::cli
