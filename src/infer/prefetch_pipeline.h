// Keeps the model busy: a producer thread reads input, fetches sequences and tokenizes them a few chunks
// ahead while the calling thread runs the model and writes results.
//
// run_prefetch_pipeline(engine, max_ahead, produce, consume), for any engine with a const
// `Tokenized tokenize(const std::vector<std::string>&)` (safe on another thread) and a
// `Result score(const Tokenized&)` (ScoringEngine, EmbeddingEngine):
//   produce(chunk) runs on the producer thread, fills chunk.items (caller's metadata, any type) and
//     chunk.windows (the bases to score, one per item), and returns false when the input is exhausted (a
//     final partial chunk may still be filled). The pipeline then tokenizes the chunk on that thread.
//   consume(chunk, result) runs on the calling thread, in production order, with the engine's result for the
//     chunk (ScoringEngine: the probabilities [items][engine.outputs().size()]).
// At most `max_ahead` chunks wait between the two, so memory stays bounded whatever the input size.
// An exception in produce or consume stops both threads and is rethrown to the caller.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "infer/scoring_engine.h"

namespace genobird::infer {

template <class Item, class Tokenized = TokenizedWindows>
struct WindowChunk {
  std::vector<Item> items;
  std::vector<std::string> windows;
  Tokenized tokenized;
};

template <class Item, class Engine>
void run_prefetch_pipeline(
    Engine& engine, std::size_t max_ahead,
    const std::function<bool(WindowChunk<Item, typename Engine::Tokenized>&)>& produce,
    const std::function<void(const WindowChunk<Item, typename Engine::Tokenized>&, const typename Engine::Result&)>&
        consume) {
  using Chunk = WindowChunk<Item, typename Engine::Tokenized>;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Chunk> ready;
  bool done = false;
  bool stop = false;
  std::exception_ptr producer_error;

  std::thread producer([&] {
    try {
      bool more = true;
      while (more) {
        Chunk chunk;
        more = produce(chunk);
        if (chunk.items.empty()) continue;
        chunk.tokenized = engine.tokenize(chunk.windows);
        chunk.windows.clear();
        chunk.windows.shrink_to_fit();
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || ready.size() < max_ahead; });
        if (stop) return;
        ready.push_back(std::move(chunk));
        changed.notify_all();
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      producer_error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    changed.notify_all();
  });

  std::exception_ptr consumer_error;
  try {
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !ready.empty() || done; });
        if (ready.empty()) break;  // done, and everything consumed
        chunk = std::move(ready.front());
        ready.pop_front();
        changed.notify_all();
      }
      consume(chunk, engine.score(chunk.tokenized));
    }
  } catch (...) {
    consumer_error = std::current_exception();
    std::lock_guard<std::mutex> lock(mutex);
    stop = true;
    changed.notify_all();
  }
  producer.join();
  if (consumer_error) std::rethrow_exception(consumer_error);
  if (producer_error) std::rethrow_exception(producer_error);
}

}  // namespace genobird::infer
