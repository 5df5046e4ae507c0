#include "model/allocator.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <map>
#include <mutex>
#include <unordered_map>

namespace genobird::model {
namespace {

class CachingCpuAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(std::size_t bytes) const override {
    if (bytes < kMinCachedBytes) {
      void* data = c10::alloc_cpu(bytes);
      return {data, data, &c10::free_cpu, c10::Device(c10::DeviceType::CPU)};
    }
    void* data = take(bytes);
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
  }
  // release() also frees blocks it did not make (small ones), so raw_allocate/raw_deallocate work too.
  c10::DeleterFnPtr raw_deleter() const override { return &release; }

  void set_limit(std::size_t max_cached_bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    limit_ = max_cached_bytes;
    trim_to_limit();
  }

  CpuTensorCacheStats stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
  }

  static CachingCpuAllocator& instance() {
    static CachingCpuAllocator* allocator = new CachingCpuAllocator();  // outlives every tensor: never destroyed
    return *allocator;
  }

 private:
  // A block of exactly `bytes` from the cache, or a fresh one.
  void* take(std::size_t bytes) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto cached = free_blocks_.find(bytes);
      if (cached != free_blocks_.end()) {
        void* data = cached->second;
        free_blocks_.erase(cached);
        stats_.cached_bytes -= bytes;
        ++stats_.reused;
        return data;
      }
      ++stats_.fresh;
    }
    void* data = c10::alloc_cpu(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    live_sizes_[data] = bytes;
    return data;
  }

  static void release(void* data) {
    if (data == nullptr) return;
    CachingCpuAllocator& self = instance();
    {
      std::lock_guard<std::mutex> lock(self.mutex_);
      auto live = self.live_sizes_.find(data);
      if (live != self.live_sizes_.end()) {
        const std::size_t bytes = live->second;
        if (self.stats_.cached_bytes + bytes <= self.limit_) {
          self.free_blocks_.emplace(bytes, data);  // stays in live_sizes_: it is handed out again as it is
          self.stats_.cached_bytes += bytes;
          return;
        }
        self.live_sizes_.erase(live);
      }
    }
    c10::free_cpu(data);
  }

  // Frees cached blocks, largest first, until the cache is within its limit. Called with the mutex held.
  void trim_to_limit() const {
    while (stats_.cached_bytes > limit_ && !free_blocks_.empty()) {
      auto largest = std::prev(free_blocks_.end());
      stats_.cached_bytes -= largest->first;
      live_sizes_.erase(largest->second);
      c10::free_cpu(largest->second);
      free_blocks_.erase(largest);
    }
  }

  mutable std::mutex mutex_;
  mutable std::multimap<std::size_t, void*> free_blocks_;        // size -> cached block
  mutable std::unordered_map<void*, std::size_t> live_sizes_;  // every block of cacheable size we made
  mutable CpuTensorCacheStats stats_;
  std::size_t limit_ = 0;
};

}  // namespace

void use_cpu_tensor_cache(std::size_t max_cached_bytes) {
  static std::once_flag installed;
  CachingCpuAllocator& allocator = CachingCpuAllocator::instance();
  allocator.set_limit(max_cached_bytes);
  // Priority 1 outranks c10's default CPU allocator (registered with 0).
  std::call_once(installed, [&] { c10::SetCPUAllocator(&allocator, /*priority=*/1); });
}

void stop_cpu_tensor_cache() { CachingCpuAllocator::instance().set_limit(0); }

CpuTensorCacheStats cpu_tensor_cache_stats() { return CachingCpuAllocator::instance().stats(); }

}  // namespace genobird::model
