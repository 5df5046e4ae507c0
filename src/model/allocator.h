// CPU tensor memory that is reused instead of being handed back to the kernel.
//
// Tensor workloads free and allocate the same large activations on every batch. With glibc, c10's 64-byte
// aligned allocations of that size are returned to the kernel or left unreused on the heap, so every batch
// faults its pages in and zeroes them again: one block-sparse attention sub-layer at 16384 tokens faulted
// ~96 MiB (24,576 minor faults) afresh on every forward pass. The cache keeps freed blocks of at least
// kMinCachedBytes, by exact size, and gives them to the next allocation of that size — a model's activation
// shapes repeat from batch to batch. Smaller blocks go straight to c10's allocation functions.
#pragma once

#include <cstddef>

namespace genobird::model {

constexpr std::size_t kMinCachedBytes = std::size_t{1} << 20;
constexpr std::size_t kDefaultMaxCachedBytes = std::size_t{1} << 30;

// Makes the cache the CPU allocator of every tensor created from now on (installed once per process) and
// lets it hold up to `max_cached_bytes` of freed blocks.
void use_cpu_tensor_cache(std::size_t max_cached_bytes = kDefaultMaxCachedBytes);

// Frees every cached block; later frees go straight back to the C library (as a process without the cache),
// e.g. while peak memory is measured.
void stop_cpu_tensor_cache();

struct CpuTensorCacheStats {
  std::size_t cached_bytes = 0;  // freed blocks held now
  std::size_t reused = 0;        // allocations served from the cache so far
  std::size_t fresh = 0;         // allocations of cacheable size that found no block of their size
};
CpuTensorCacheStats cpu_tensor_cache_stats();

}  // namespace genobird::model
