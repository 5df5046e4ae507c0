#include "train/distributed.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/utils/tensor_flatten.h>
#include <torch/version.h>
#ifdef GENOBIRD_WITH_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <exception>

#include "util/error.h"
#include "util/log.h"

namespace genobird::train {
namespace {

// In libtorch 2.x the concrete process groups derive from c10d::Backend, in 1.13 from c10d::ProcessGroup;
// both declare the collectives used here with the same signatures.
#if TORCH_VERSION_MAJOR >= 2
using ProcessGroupBase = c10d::Backend;
#else
using ProcessGroupBase = c10d::ProcessGroup;
#endif

int parse_int(const char* name, const char* value) {
  char* end = nullptr;
  long parsed = std::strtol(value, &end, 10);
  if (end == value || *end != '\0' || parsed < 0 || parsed > 1 << 30)
    throw UsageError(std::string("environment variable ") + name + "=" + value + " is not a non-negative integer");
  return static_cast<int>(parsed);
}

void wait_for(const c10::intrusive_ptr<c10d::Work>& work, const char* what) {
  try {
    work->wait();
  } catch (const std::exception& e) {
    throw IoError(std::string("data-parallel ") + what + " failed: " + e.what());
  }
}

}  // namespace

DistributedEnv distributed_env_from(const std::function<const char*(const char*)>& lookup) {
  DistributedEnv env;
  auto get = [&](const char* name) -> const char* { return lookup(name); };
  if (get("WORLD_SIZE") != nullptr || get("RANK") != nullptr) {
    if (get("WORLD_SIZE") == nullptr || get("RANK") == nullptr)
      throw UsageError("RANK and WORLD_SIZE must be set together for a data-parallel run");
    env.launcher = get("TORCHELASTIC_RUN_ID") != nullptr || get("LOCAL_WORLD_SIZE") != nullptr ? "torchrun" : "manual";
    env.rank = parse_int("RANK", get("RANK"));
    env.world_size = parse_int("WORLD_SIZE", get("WORLD_SIZE"));
    env.local_rank = get("LOCAL_RANK") != nullptr ? parse_int("LOCAL_RANK", get("LOCAL_RANK")) : 0;
  } else if (get("SLURM_PROCID") != nullptr && get("SLURM_NTASKS") != nullptr) {
    env.launcher = "slurm";
    env.rank = parse_int("SLURM_PROCID", get("SLURM_PROCID"));
    env.world_size = parse_int("SLURM_NTASKS", get("SLURM_NTASKS"));
    env.local_rank = get("SLURM_LOCALID") != nullptr ? parse_int("SLURM_LOCALID", get("SLURM_LOCALID")) : 0;
    if (get("SLURM_LAUNCH_NODE_IPADDR") != nullptr) env.master_addr = get("SLURM_LAUNCH_NODE_IPADDR");
  } else {
    return env;
  }
  if (env.world_size < 1) throw UsageError("WORLD_SIZE must be at least 1");
  if (env.rank >= env.world_size)
    throw UsageError("RANK " + std::to_string(env.rank) + " is not below WORLD_SIZE " + std::to_string(env.world_size));
  if (get("MASTER_ADDR") != nullptr) env.master_addr = get("MASTER_ADDR");
  if (get("MASTER_PORT") != nullptr) {
    env.master_port = parse_int("MASTER_PORT", get("MASTER_PORT"));
    if (env.master_port < 1 || env.master_port > 65535) throw UsageError("MASTER_PORT must be in 1..65535");
  }
  const char* agent = get("TORCHELASTIC_USE_AGENT_STORE");
  if (agent != nullptr && std::string(agent) == "True") {
    env.agent_store = true;
    const char* restarts = get("TORCHELASTIC_RESTART_COUNT");
    env.store_prefix = std::string("/worker/attempt_") + (restarts != nullptr ? restarts : "0");
  }
  return env;
}

DistributedEnv distributed_env() {
  return distributed_env_from([](const char* name) -> const char* { return std::getenv(name); });
}

struct DataParallel::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<ProcessGroupBase> process_group;
};

DataParallel::DataParallel(const DistributedEnv& env, const c10::Device& device, DataParallelOptions options)
    : env_(env), device_(device), options_(options) {
  if (env_.world_size <= 1) return;
  group_ = std::make_unique<Group>();
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<std::uint16_t>(env_.master_port);
    store_options.isServer = env_.rank == 0 && !env_.agent_store;
    store_options.numWorkers = static_cast<std::size_t>(env_.world_size);
    store_options.waitWorkers = !env_.agent_store;
    store_options.timeout = options_.timeout;
    c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(env_.master_addr, store_options);
    if (!env_.store_prefix.empty()) store = c10::make_intrusive<c10d::PrefixStore>(env_.store_prefix, store);
    group_->store = store;

    if (device_.is_cuda()) {
#ifdef GENOBIRD_WITH_NCCL
      auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
      nccl_options->timeout = options_.timeout;
      group_->process_group =
          c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env_.rank, env_.world_size, nccl_options);
#else
      throw UsageError("data-parallel training on CUDA needs a build with NCCL (libtorch with CUDA)");
#endif
    } else {
      auto gloo_options = c10d::ProcessGroupGloo::Options::create(options_.timeout);
      const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
      gloo_options->devices.push_back(interface != nullptr
                                          ? c10d::ProcessGroupGloo::createDeviceForInterface(interface)
                                          : c10d::ProcessGroupGloo::createDefaultDevice());
      gloo_options->threads = 2;
      group_->process_group =
          c10::make_intrusive<c10d::ProcessGroupGloo>(store, env_.rank, env_.world_size, gloo_options);
    }
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw IoError("cannot join the data-parallel group at " + env_.master_addr + ":" +
                  std::to_string(env_.master_port) + " as rank " + std::to_string(env_.rank) + " of " +
                  std::to_string(env_.world_size) + ": " + e.what());
  }
  LOG_INFO("data parallel: rank " << env_.rank << " of " << env_.world_size << " (" << env_.launcher << ", "
                                  << (device_.is_cuda() ? "NCCL" : "Gloo") << ")");
}

DataParallel::~DataParallel() = default;

void DataParallel::broadcast(const std::vector<at::Tensor>& tensors) {
  if (!group_) return;
  at::NoGradGuard no_grad;
  for (const auto& tensor : tensors) {
    std::vector<at::Tensor> one = {tensor.detach()};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    wait_for(group_->process_group->broadcast(one, options), "broadcast");
  }
}

void DataParallel::all_reduce_gradients(const std::vector<at::Tensor>& parameters, bool average) {
  if (!group_) return;
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  for (const auto& p : parameters) {
    if (!p.grad().defined()) p.mutable_grad() = at::zeros_like(p);
    grads.push_back(p.grad());
  }
  // Buckets of consecutive gradients of one dtype, each at most bucket_bytes (or one larger tensor).
  std::size_t begin = 0;
  while (begin < grads.size()) {
    std::size_t end = begin;
    std::size_t bytes = 0;
    while (end < grads.size() && grads[end].scalar_type() == grads[begin].scalar_type() &&
           (end == begin || bytes + grads[end].nbytes() <= options_.bucket_bytes)) {
      bytes += grads[end].nbytes();
      ++end;
    }
    std::vector<at::Tensor> bucket(grads.begin() + static_cast<long>(begin), grads.begin() + static_cast<long>(end));
    std::vector<at::Tensor> flat = {torch::utils::flatten_dense_tensors(bucket)};
    wait_for(group_->process_group->allreduce(flat), "gradient all-reduce");
    if (average) flat[0].div_(env_.world_size);
    std::vector<at::Tensor> reduced = torch::utils::unflatten_dense_tensors(flat[0], bucket);
    for (std::size_t i = 0; i < bucket.size(); ++i) bucket[i].copy_(reduced[i]);
    begin = end;
  }
}

std::vector<double> DataParallel::all_reduce_sum(const std::vector<double>& values) {
  if (!group_ || values.empty()) return values;
  at::Tensor tensor = at::tensor(values, at::TensorOptions().dtype(at::kDouble)).to(device_);
  std::vector<at::Tensor> one = {tensor};
  wait_for(group_->process_group->allreduce(one), "all-reduce");
  at::Tensor cpu = one[0].cpu();
  return std::vector<double>(cpu.data_ptr<double>(), cpu.data_ptr<double>() + cpu.numel());
}

void DataParallel::barrier() {
  if (!group_) return;
  wait_for(group_->process_group->barrier(), "barrier");
}

}  // namespace genobird::train
