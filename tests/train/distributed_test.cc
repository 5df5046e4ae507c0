#include "train/distributed.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <map>
#include <thread>

#include "util/error.h"

namespace genobird::train {
namespace {

DistributedEnv env_of(const std::map<std::string, std::string>& vars) {
  return distributed_env_from([&](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

TEST(DistributedEnv, NoVariablesIsOneProcess) {
  DistributedEnv env = env_of({});
  EXPECT_EQ(env.world_size, 1);
  EXPECT_EQ(env.launcher, "none");
}

TEST(DistributedEnv, TorchrunWithAgentStore) {
  DistributedEnv env = env_of({{"RANK", "3"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                               {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29400"},
                               {"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "2"}});
  EXPECT_EQ(env.rank, 3);
  EXPECT_EQ(env.world_size, 4);
  EXPECT_EQ(env.local_rank, 1);
  EXPECT_EQ(env.master_addr, "node7");
  EXPECT_EQ(env.master_port, 29400);
  EXPECT_TRUE(env.agent_store);
  EXPECT_EQ(env.store_prefix, "/worker/attempt_2");
  EXPECT_EQ(env.launcher, "torchrun");
}

TEST(DistributedEnv, SlurmUsesLaunchNodeUnlessMasterGiven) {
  DistributedEnv env = env_of({{"SLURM_PROCID", "1"}, {"SLURM_NTASKS", "2"}, {"SLURM_LOCALID", "1"},
                               {"SLURM_LAUNCH_NODE_IPADDR", "10.0.0.5"}});
  EXPECT_EQ(env.launcher, "slurm");
  EXPECT_EQ(env.rank, 1);
  EXPECT_EQ(env.master_addr, "10.0.0.5");
  EXPECT_EQ(env.master_port, 29500);
  EXPECT_FALSE(env.agent_store);
}

TEST(DistributedEnv, InconsistentVariablesAreUsageErrors) {
  EXPECT_THROW(env_of({{"RANK", "2"}, {"WORLD_SIZE", "2"}}), UsageError);
  EXPECT_THROW(env_of({{"RANK", "0"}}), UsageError);
  EXPECT_THROW(env_of({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "http"}}), UsageError);
}

TEST(DataParallel, WorldSizeOneIsANoOp) {
  DataParallel dp(DistributedEnv{}, c10::Device(c10::kCPU));
  at::Tensor p = at::ones({3}).set_requires_grad(true);
  p.mutable_grad() = at::full({3}, 2.0);
  dp.all_reduce_gradients({p}, true);
  EXPECT_TRUE(at::equal(p.grad(), at::full({3}, 2.0)));
  EXPECT_EQ(dp.all_reduce_sum({1.5})[0], 1.5);
}

// Two ranks as two threads over loopback Gloo: buckets far smaller than the gradients, so several
// flatten / all-reduce / unflatten rounds run; the result must equal the plain sum and mean.
TEST(DataParallel, BucketedAllReduceOverLoopbackEqualsPlainSum) {
  const int port = 20000 + static_cast<int>(::getpid() % 20000);
  std::vector<std::vector<at::Tensor>> params(2);
  for (int rank = 0; rank < 2; ++rank) {
    for (int i = 0; i < 5; ++i) {
      at::Tensor p = at::zeros({7 + i}).set_requires_grad(true);
      if (!(rank == 1 && i == 2)) p.mutable_grad() = at::full({7 + i}, static_cast<double>(10 * rank + i));
      params[rank].push_back(p);
    }
  }
  std::vector<std::vector<double>> sums(2);
  std::vector<at::Tensor> broadcast_values = {at::full({4}, 1.0), at::full({4}, 2.0)};
  auto run_rank = [&](int rank) {
    DistributedEnv env;
    env.rank = rank;
    env.world_size = 2;
    env.master_port = port;
    env.launcher = "manual";
    DataParallelOptions options;
    options.bucket_bytes = 40;  // about ten floats: several buckets
    DataParallel dp(env, c10::Device(c10::kCPU), options);
    dp.all_reduce_gradients(params[rank], true);
    sums[rank] = dp.all_reduce_sum({1.0 + rank, 0.5});
    dp.broadcast({broadcast_values[rank]});
    dp.barrier();
  };
  std::thread other(run_rank, 1);
  run_rank(0);
  other.join();
  for (int i = 0; i < 5; ++i) {
    // rank 0 has i, rank 1 has 10 + i (or nothing for i == 2): mean over two ranks.
    const double expected = i == 2 ? i / 2.0 : (i + 10.0 + i) / 2.0;
    for (int rank = 0; rank < 2; ++rank)
      EXPECT_TRUE(at::allclose(params[rank][i].grad(), at::full({7 + i}, expected))) << "param " << i;
  }
  EXPECT_EQ(sums[0], (std::vector<double>{3.0, 1.0}));
  EXPECT_EQ(sums[1], sums[0]);
  EXPECT_TRUE(at::equal(broadcast_values[1], at::full({4}, 1.0)));
}

}  // namespace
}  // namespace genobird::train
