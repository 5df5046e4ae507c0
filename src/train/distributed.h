// Data parallelism over c10d for the trainers: one process per rank, parameters broadcast from rank 0,
// gradients all-reduced in buckets. libtorch has no C++ DistributedDataParallel, so this is the small
// part of it a trainer needs.
//
// Launching (see ../shared/docs/LIBTORCH.md): ranks are separate processes started by
//   - torchrun --no-python:  RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT; with
//     TORCHELASTIC_USE_AGENT_STORE=True the agent already hosts the store, every rank is a client and keys
//     live under /worker/attempt_<TORCHELASTIC_RESTART_COUNT>;
//   - SLURM srun:            SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID (MASTER_ADDR/MASTER_PORT if set,
//                            else the launch node's address SLURM_LAUNCH_NODE_IPADDR and port 29500);
//   - by hand:               RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT.
// torchrun's variables win over SLURM's. Without any of them the run is a single process (world size 1)
// and every collective below is a no-op, so trainers call them unconditionally.
//
// Backends: Gloo for CPU tensors (the interface named by GLOO_SOCKET_IFNAME, else the host's address,
// else loopback); NCCL for CUDA tensors, compiled only into CUDA builds (CMake target torch_cuda).
// Rank 0 hosts a c10d::TCPStore at MASTER_ADDR:MASTER_PORT for the rendezvous.
//
// Errors: UsageError for inconsistent environment variables (RANK >= WORLD_SIZE, a port that is not a
// number, CUDA asked for in a build without NCCL); IoError when the rendezvous or a collective fails or
// times out. Not thread-safe: collectives are called from the training thread, in the same order on
// every rank.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <c10/core/Device.h>

namespace genobird::train {

struct DistributedEnv {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  bool agent_store = false;     // torchrun's agent hosts the store; every rank is a client
  std::string store_prefix;     // key prefix inside the store ("" or /worker/attempt_N)
  std::string launcher = "none";  // none | torchrun | slurm | manual
};

// Reads the environment through `lookup` (nullptr for an unset variable); testable without setenv.
DistributedEnv distributed_env_from(const std::function<const char*(const char*)>& lookup);
// The process's own environment.
DistributedEnv distributed_env();

struct DataParallelOptions {
  std::size_t bucket_bytes = 25u << 20;                   // gradients per all-reduce (PyTorch DDP's default)
  std::chrono::milliseconds timeout = std::chrono::minutes(10);  // rendezvous and each collective
};

class DataParallel {
 public:
  // Joins the process group (blocks until every rank has arrived) when env.world_size > 1.
  // `device` selects the backend: Gloo for the CPU, NCCL for CUDA.
  DataParallel(const DistributedEnv& env, const c10::Device& device, DataParallelOptions options = {});
  ~DataParallel();
  DataParallel(const DataParallel&) = delete;
  DataParallel& operator=(const DataParallel&) = delete;

  int rank() const { return env_.rank; }
  int world_size() const { return env_.world_size; }
  bool is_primary() const { return env_.rank == 0; }
  const DistributedEnv& env() const { return env_; }

  // Overwrites every rank's parameters (and any buffers passed) with rank 0's.
  void broadcast(const std::vector<at::Tensor>& tensors);

  // Sums the gradients of `parameters` over the ranks, bucket by bucket (flattened into one tensor per
  // bucket, all-reduced, copied back); divides by the world size when `average`. A parameter without a
  // gradient on this rank gets a zero gradient first, so every rank reduces the same buckets.
  void all_reduce_gradients(const std::vector<at::Tensor>& parameters, bool average);

  // Element-wise sum over ranks of a few numbers (losses, counts), in double precision.
  std::vector<double> all_reduce_sum(const std::vector<double>& values);

  // Returns when every rank has called it.
  void barrier();

 private:
  struct Group;
  DistributedEnv env_;
  c10::Device device_;
  DataParallelOptions options_;
  std::unique_ptr<Group> group_;  // null for world size 1
};

}  // namespace genobird::train
