// bench_attention: time and peak memory of BigBird block-sparse attention against full attention, one
// encoder layer's self-attention sub-layer (--layers-only) or the whole encoder, per sequence length, plus
// the machine's torch::mm rate measured in the same run (see ../shared/docs/BENCHMARKS.md).
//
//   bench_attention --preset small [--attention block_sparse,original_full] [--lengths 512,1024,...]
//                   [--layers-only] [--threads N] [--repeats N] [--memory-limit-mib N] [--no-tensor-cache]
//
// Timed passes use the CPU tensor cache of genobird's model commands (model/allocator.h) unless
// --no-tensor-cache; peak memory is always measured without it (RSS then follows the live tensors).
//
// stdout: TSV "attention n forward_s forward_backward_s peak_mib", then "torch_mm_gflops <rate>" last.
// stderr: the comparison (scaling ratios, sparse/full speed-up, achieved GFLOP/s, the HuggingFace figures
// for the `small` shape from FACTS.md).
//
// Every length runs in a fresh child process (this program re-executed with --child), so that one length's
// memory never carries over into the next; the child caps its address space at --memory-limit-mib above
// its start-up size and reports "oom" when a pass does not fit.
#include <malloc.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/allocator.h"
#include "model/config.h"
#include "model/encoder.h"
#include "model/model.h"

extern char** environ;

namespace {

using genobird::model::AttentionMode;
using genobird::model::BigBirdConfig;

struct Options {
  std::string preset = "small";
  std::vector<std::string> attentions = {"block_sparse", "original_full"};
  std::vector<std::int64_t> lengths = {512, 1024, 2048, 4096, 8192, 16384};
  bool layers_only = false;
  bool tensor_cache = true;
  int threads = 0;  // 0: every core
  int repeats = 3;
  std::int64_t memory_limit_mib = 6144;
  // Child mode: one (attention, length) measurement.
  bool child = false;
  bool child_mm = false;
  std::string child_attention;
  std::int64_t child_length = 0;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "bench_attention: error: " << message
            << "\nUsage: bench_attention --preset NAME|config.json [--attention block_sparse,original_full]"
               " [--lengths 512,1024,...] [--layers-only] [--threads N] [--repeats N] [--memory-limit-mib N]\n";
  std::exit(2);
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

std::int64_t to_int(const std::string& text, const std::string& option) {
  try {
    std::size_t used = 0;
    long long value = std::stoll(text, &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  usage_error(option + " expects a non-negative integer, not \"" + text + "\"");
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--preset") o.preset = value();
    else if (arg == "--attention") o.attentions = split(value());
    else if (arg == "--lengths") {
      o.lengths.clear();
      for (const auto& part : split(value())) o.lengths.push_back(to_int(part, "--lengths"));
    } else if (arg == "--layers-only") o.layers_only = true;
    else if (arg == "--no-tensor-cache") o.tensor_cache = false;
    else if (arg == "--threads") o.threads = static_cast<int>(to_int(value(), arg));
    else if (arg == "--repeats") o.repeats = std::max(1, static_cast<int>(to_int(value(), arg)));
    else if (arg == "--memory-limit-mib") o.memory_limit_mib = to_int(value(), arg);
    else if (arg == "--child") {
      o.child = true;
      o.child_attention = value();
      o.child_length = to_int(value(), arg);
    } else if (arg == "--child-mm") o.child_mm = true;
    else if (arg == "--help" || arg == "-h") {
      std::cout << "bench_attention --preset NAME [--attention block_sparse,original_full] [--lengths 512,...]"
                   " [--layers-only] [--threads N] [--repeats N] [--memory-limit-mib N] [--no-tensor-cache]\n";
      std::exit(0);
    } else usage_error("unknown option " + arg);
  }
  for (const auto& a : o.attentions)
    if (a != "block_sparse" && a != "original_full") usage_error("--attention must be block_sparse or original_full");
  return o;
}

BigBirdConfig load_preset(const std::string& preset) {
  std::string path = preset.find('/') != std::string::npos || preset.find(".json") != std::string::npos
                         ? preset
                         : std::string(GENOBIRD_MODELS_DIR) + "/" + preset + ".json";
  return genobird::model::read_config_file(path);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::int64_t status_kib(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, key.size() + 1, key + ":") == 0) return std::stoll(line.substr(key.size() + 1));
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false where the kernel refuses.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

template <typename F>
double median_seconds(int repeats, F&& pass) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    pass();
    times.push_back(seconds_since(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

double measure_mm_gflops() {
  at::Tensor a = at::randn({2048, 2048}), b = at::randn({2048, 2048});
  at::mm(a, b);  // warm-up
  double t = median_seconds(5, [&] { at::mm(a, b); });
  return 2.0 * 2048.0 * 2048.0 * 2048.0 / t / 1e9;
}

bool is_allocation_failure(const c10::Error& e) {
  std::string what = e.what();
  return what.find("not enough memory") != std::string::npos || what.find("alloc") != std::string::npos;
}

bool sparse_at(const BigBirdConfig& config, std::int64_t n) {
  return config.block_sparse() && n > config.full_attention_max_tokens();
}

// Forward FLOPs (multiply-adds counted as 2) of the measured module at length n.
double forward_flops(const BigBirdConfig& c, std::int64_t n, bool layers_only) {
  const double h = static_cast<double>(c.hidden_size);
  double attention;
  if (sparse_at(c, n)) {
    const double bs = static_cast<double>(c.block_size);
    const double padded = std::ceil(static_cast<double>(n) / bs) * bs;
    const double slots = 5.0 + static_cast<double>(c.num_random_blocks);
    attention = 4.0 * h * ((padded - 2 * bs) * slots * bs + 2 * bs * padded);
  } else {
    attention = 4.0 * h * static_cast<double>(n) * static_cast<double>(n);
  }
  const double projections = 8.0 * static_cast<double>(n) * h * h;
  if (layers_only) return projections + attention;
  const double feed_forward = 4.0 * static_cast<double>(n) * h * static_cast<double>(c.intermediate_size);
  return static_cast<double>(c.num_hidden_layers) * (projections + attention + feed_forward);
}

// One (attention, n) measurement in this fresh process; prints one TSV row.
int run_child(const Options& o) {
  // For the peak-memory pass, large blocks come straight from mmap and go back on free, so RSS follows the
  // live tensors (the timed passes after it relax this).
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  if (o.threads > 0) at::set_num_threads(o.threads);
  if (o.child_mm) {
    std::printf("%.1f\n", measure_mm_gflops());
    return 0;
  }
  BigBirdConfig config = load_preset(o.preset);
  config.attention_type = o.child_attention;
  config.max_position_embeddings = std::max(config.max_position_embeddings, o.child_length);
  const std::int64_t n = o.child_length;
  at::manual_seed(0);

  genobird::model::BigBirdModel encoder(nullptr);
  genobird::model::BigBirdAttention attention(nullptr);
  std::vector<at::Tensor> parameters;
  if (o.layers_only) {
    attention = genobird::model::BigBirdAttention(config, 0);
    attention->eval();
    parameters = attention->parameters();
  } else {
    encoder = genobird::model::BigBirdModel(config, false);
    encoder->eval();  // no dropout: the figures are compute, as HuggingFace's eval-mode peers
    parameters = encoder->parameters();
  }
  auto forward = [&](std::int64_t length) {
    if (o.layers_only) {
      AttentionMode mode = sparse_at(config, length) ? AttentionMode::kBlockSparse : AttentionMode::kFull;
      return attention(at::randn({1, length, config.hidden_size}), at::Tensor(), mode);  // [1, n, hidden]
    }
    return encoder(at::randint(5, config.vocab_size, {1, length}), at::Tensor()).sequence;  // [1, n, hidden]
  };
  auto forward_backward = [&](std::int64_t length) {
    for (auto& p : parameters) p.mutable_grad().reset();
    forward(length).sum().backward();
  };

  // Warm-up at a short length: thread pools and BLAS buffers exist before anything is measured.
  forward_backward(std::min<std::int64_t>(n, (6 + 2 * config.num_random_blocks) * config.block_size));
  const std::int64_t start_vm_kib = status_kib("VmSize");
  if (o.memory_limit_mib > 0 && start_vm_kib > 0) {
    rlim_t limit = static_cast<rlim_t>(start_vm_kib + o.memory_limit_mib * 1024) * 1024;
    struct rlimit cap = {limit, limit};
    setrlimit(RLIMIT_AS, &cap);
  }

  std::string forward_text = "oom", backward_text = "oom", peak_text = "oom";
  bool backward_fits = false;
  try {
    const bool peak_reset = reset_peak_rss();
    const std::int64_t before_kib = status_kib("VmRSS");
    forward_backward(n);
    const std::int64_t peak_kib = peak_reset ? status_kib("VmHWM") : -1;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", peak_kib >= 0 ? static_cast<double>(peak_kib - before_kib) / 1024 : -1.0);
    peak_text = buffer;
    backward_fits = true;
  } catch (const c10::Error& e) {
    if (!is_allocation_failure(e)) throw;
  }
  // Timing with glibc's steady state in a long-running process (its dynamic thresholds end at these values)
  // and with the tensor cache of genobird's model commands: freed activations are reused instead of being
  // faulted in again on every pass.
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  if (o.tensor_cache) genobird::model::use_cpu_tensor_cache();
  try {
    c10::InferenceMode inference;
    forward(n);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", median_seconds(o.repeats, [&] { forward(n); }));
    forward_text = buffer;
  } catch (const c10::Error& e) {
    if (!is_allocation_failure(e)) throw;
  }
  try {
    if (backward_fits) {
      forward_backward(n);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.4f", median_seconds(o.repeats, [&] { forward_backward(n); }));
      backward_text = buffer;
    }
  } catch (const c10::Error& e) {
    if (!is_allocation_failure(e)) throw;
  }
  std::printf("%s\t%lld\t%s\t%s\t%s\n", o.child_attention.c_str(), static_cast<long long>(n), forward_text.c_str(),
              backward_text.c_str(), peak_text.c_str());
  return 0;
}

// Runs this program again with `args`; returns its stdout (empty if it failed).
std::string run_self(const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<std::string> all = {"/proc/self/exe"};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t got; (got = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) output.append(buffer, static_cast<std::size_t>(got));
  close(pipe_fds[0]);
  if (spawned != 0) return {};
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? output : std::string();
}

struct Row {
  double forward = -1, forward_backward = -1, peak = -1;  // -1: did not fit (oom) or failed
};

double field(const std::string& text) { return text == "oom" || text.empty() ? -1 : std::stod(text); }

void print_ratio(const char* what, double a, double b) {
  if (a > 0 && b > 0) std::fprintf(stderr, "  %-58s %8.2f\n", what, a / b);
}

// The comparison on stderr: scaling, speed-up, memory budget, efficiency, HuggingFace's figures.
void report(const Options& o, const BigBirdConfig& config, std::map<std::string, std::map<std::int64_t, Row>>& rows,
            double mm_gflops) {
  auto& sparse = rows["block_sparse"];
  auto& full = rows["original_full"];
  std::fprintf(stderr, "\n%s, %s, %d thread(s)\n", o.preset.c_str(),
               o.layers_only ? "self-attention sub-layer" : "whole encoder", at::get_num_threads());
  auto get = [](std::map<std::int64_t, Row>& m, std::int64_t n) { return m.count(n) ? m[n] : Row{}; };
  print_ratio("block_sparse forward time(16384) / time(4096)", get(sparse, 16384).forward, get(sparse, 4096).forward);
  print_ratio("block_sparse fwd+bwd time(16384) / time(4096)", get(sparse, 16384).forward_backward,
              get(sparse, 4096).forward_backward);
  print_ratio("block_sparse peak memory(16384) / peak(4096)", get(sparse, 16384).peak, get(sparse, 4096).peak);
  print_ratio("original_full forward time(16384) / time(4096)", get(full, 16384).forward, get(full, 4096).forward);
  print_ratio("original_full forward time(8192) / time(4096)", get(full, 8192).forward, get(full, 4096).forward);
  print_ratio("speed-up of block_sparse over full at 4096, forward", get(full, 4096).forward, get(sparse, 4096).forward);
  print_ratio("speed-up of block_sparse over full at 4096, fwd+bwd", get(full, 4096).forward_backward,
              get(sparse, 4096).forward_backward);
  for (double budget : {256.0, 1024.0, 4096.0}) {
    auto longest = [&](std::map<std::int64_t, Row>& m) {
      std::int64_t best = 0;
      for (auto& [n, row] : m)
        if (row.peak >= 0 && row.peak <= budget) best = std::max(best, n);
      return best;
    };
    std::int64_t s = longest(sparse), f = longest(full);
    if (s > 0 || f > 0)
      std::fprintf(stderr, "  longest measured n with fwd+bwd peak <= %5.0f MiB: block_sparse %6lld, full %6lld%s\n",
                   budget, static_cast<long long>(s), static_cast<long long>(f),
                   s > 0 && f > 0 ? (" (" + std::to_string(static_cast<double>(s) / static_cast<double>(f)).substr(0, 5) + "x)").c_str() : "");
  }
  for (auto& [attention, by_length] : rows) {
    BigBirdConfig c = config;
    c.attention_type = attention;
    for (auto& [n, row] : by_length)
      if (row.forward > 0)
        std::fprintf(stderr, "  %-13s n=%6lld forward %7.1f GFLOP/s = %3.0f%% of torch::mm's %.1f\n", attention.c_str(),
                     static_cast<long long>(n), forward_flops(c, n, o.layers_only) / row.forward / 1e9,
                     100.0 * forward_flops(c, n, o.layers_only) / row.forward / 1e9 / mm_gflops, mm_gflops);
  }
  if (o.preset == "small" && !o.layers_only) {
    // HuggingFace transformers BigBird, PyTorch 1.13 + OpenBLAS, 2 threads, eval, batch 1 (FACTS.md).
    const std::map<std::string, std::map<std::int64_t, double>> peer = {
        {"block_sparse", {{1024, 0.284}, {4096, 1.050}, {16384, 3.772}}},
        {"original_full", {{1024, 0.136}, {4096, 2.519}}}};
    std::fprintf(stderr, "  HuggingFace BigBird (same shape, same machine type) forward seconds vs genobird:\n");
    for (const auto& [attention, figures] : peer)
      for (const auto& [n, seconds] : figures) {
        Row row = get(rows[attention], n);
        if (row.forward > 0)
          std::fprintf(stderr, "    %-13s n=%6lld  HF %.3f s  genobird %.3f s  speed-up %.2fx\n", attention.c_str(),
                       static_cast<long long>(n), seconds, row.forward, seconds / row.forward);
      }
  }
}

int run_parent(const Options& o) {
  const BigBirdConfig config = load_preset(o.preset);
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  // OpenBLAS reads its thread count when the library loads: set it for the children.
  setenv("OPENBLAS_NUM_THREADS", std::to_string(threads).c_str(), 0);
  setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 0);
  // OpenMP threads that spin while waiting take the cores from the working ones when the machine is shared
  // (measured: the block-sparse kernel 8x slower at load 8 on 2 cores); on an idle machine this costs only
  // the wake-up of each parallel region. Set it in the environment to measure otherwise.
  setenv("OMP_WAIT_POLICY", "passive", 0);
  at::set_num_threads(threads);
  if (o.layers_only)
    for (auto n : o.lengths)
      if (n % config.block_size != 0) usage_error("--layers-only lengths must be multiples of block_size");
  std::vector<std::string> common = {"--preset", o.preset, "--threads", std::to_string(threads), "--repeats",
                                     std::to_string(o.repeats), "--memory-limit-mib", std::to_string(o.memory_limit_mib)};
  if (o.layers_only) common.push_back("--layers-only");
  if (!o.tensor_cache) common.push_back("--no-tensor-cache");

  std::map<std::string, std::map<std::int64_t, Row>> rows;
  std::printf("attention\tn\tforward_s\tforward_backward_s\tpeak_mib\n");
  std::fflush(stdout);
  for (const auto& attention : o.attentions) {
    for (auto n : o.lengths) {
      std::vector<std::string> args = common;
      args.insert(args.end(), {"--child", attention, std::to_string(n)});
      std::string line = run_self(args);
      if (line.empty()) line = attention + "\t" + std::to_string(n) + "\tfailed\tfailed\tfailed\n";
      std::printf("%s", line.c_str());
      std::fflush(stdout);
      std::stringstream fields(line);
      std::string a, length, f, fb, peak;
      fields >> a >> length >> f >> fb >> peak;
      if (f != "failed") rows[attention][n] = Row{field(f), field(fb), field(peak)};
    }
  }
  std::vector<std::string> mm_args = common;
  mm_args.push_back("--child-mm");
  std::string mm = run_self(mm_args);
  double mm_gflops = mm.empty() ? 0 : std::stod(mm);
  report(o, config, rows, mm_gflops > 0 ? mm_gflops : 1);
  std::printf("torch_mm_gflops\t%.1f\n", mm_gflops);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse(argc, argv);
  try {
    return options.child || options.child_mm ? run_child(options) : run_parent(options);
  } catch (const std::exception& e) {
    std::cerr << "bench_attention: error: " << e.what() << "\n";
    return 1;
  }
}
