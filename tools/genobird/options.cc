#include "options.h"

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "util/blas_threads.h"
#include "util/error.h"
#include "util/log.h"

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
  // OpenMP reads this once, when first used; libtorch never sets it itself.
  setenv("OMP_NUM_THREADS", text.c_str(), 0);
  // OpenBLAS sizes its thread pool from OPENBLAS_NUM_THREADS when it is loaded, which is before main in
  // genobird-torch (libtorch links it), so setting the variable here is too late: without the call below,
  // a `-t 1` run multiplied matrices on every core and left a worker spinning on sched_yield between
  // products. A variable the user set wins, as OpenBLAS already read it.
  if (!std::getenv("OPENBLAS_NUM_THREADS")) {
    setenv("OPENBLAS_NUM_THREADS", text.c_str(), 0);
    set_blas_threads(n);
  }
  if (const int blas = blas_threads())
    LOG_DEBUG("threads: " << n << ", OpenBLAS threads: " << blas);
  else
    LOG_DEBUG("threads: " << n);
  return n;
}

void add_seed_option(po::options_description& options, unsigned long& seed) {
  options.add_options()("seed", po::value(&seed)->default_value(42), "random seed");
}

void add_init_option(po::options_description& options, std::string& init) {
  options.add_options()("init", po::value(&init)->default_value("local"),
                        "fresh weights: local (the first layer's heads start on the neighbouring tokens) or normal "
                        "(HuggingFace's normal(0, initializer_range))");
}

void add_device_option(po::options_description& options, std::string& device) {
  options.add_options()("device", po::value(&device)->default_value("auto"),
                        "cpu, cuda, cuda:N or auto (CUDA when available)");
}

std::string default_text(double value) {
  char text[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

po::typed_value<double>* value_with_default(double* target, double value) {
  return po::value(target)->default_value(value, default_text(value));
}

void require(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

}  // namespace genobird::cli
