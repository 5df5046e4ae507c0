// bench_embed: embeddings per second of the EmbeddingEngine (`genobird embed`), batched by length, against
// the same windows run one at a time, in one run on the same model and inputs.
//   bench_embed --model DIR --genome FASTA [--threads N] [--regions N] [--records N] [--batch-size N]
// Three inputs cut from the genome's sequences at seeded random places:
//   1 kb    `--regions` regions of 1,000 bp (one window each with the bundled model);
//   16 kb   `--records` records of 16,000 bp (cut into overlapping windows of max_position_embeddings tokens);
//   mixed   `--regions` regions of 100 to 3,000 bp in random order, batched by length (windows of similar length
//           share a pass, the engine's way) against batched in input order (each pass of batch-size records
//           padded to its longest), which is what batching by length saves.
// Printed: wall and CPU seconds of the process (CPU time is the figure to trust on a shared machine), embeddings
// per CPU second and the speed-up over one window at a time; the modes' vectors agree (max |difference|).
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "infer/embedding_engine.h"
#include "io/sequence.h"
#include "io/sequence_reader.h"

namespace {

using genobird::infer::EmbeddingEngine;
using genobird::infer::EmbeddingOptions;
using genobird::infer::RecordEmbeddings;

struct Args {
  std::string model, genome;
  int threads = 1;
  std::size_t regions = 512, records = 16;
  std::int64_t batch_size = 16;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--model") a.model = value;
    else if (key == "--genome") a.genome = value;
    else if (key == "--threads") a.threads = std::atoi(value.c_str());
    else if (key == "--regions") a.regions = std::strtoul(value.c_str(), nullptr, 10);
    else if (key == "--records") a.records = std::strtoul(value.c_str(), nullptr, 10);
    else if (key == "--batch-size") a.batch_size = std::atol(value.c_str());
    else { std::fprintf(stderr, "bench_embed: unknown option %s\n", key.c_str()); std::exit(2); }
  }
  if (a.model.empty() || a.genome.empty()) {
    std::fprintf(stderr, "usage: bench_embed --model DIR --genome FASTA [--threads N] [--regions N] [--records N] [--batch-size N]\n");
    std::exit(2);
  }
  return a;
}

// `count` pieces of the given lengths from random places of sequences long enough to hold them.
std::vector<std::string> pieces(const std::vector<std::string>& genome, const std::vector<std::size_t>& lengths,
                                std::mt19937& rng) {
  std::vector<std::string> out;
  for (std::size_t length : lengths) {
    for (int tries = 0; tries < 1000; ++tries) {
      const std::string& seq = genome[rng() % genome.size()];
      if (seq.size() < length) continue;
      std::string piece = seq.substr(rng() % (seq.size() - length + 1), length);
      genobird::io::to_upper_inplace(piece);
      out.push_back(std::move(piece));
      break;
    }
  }
  return out;
}

struct Seconds {
  double wall = 0, cpu = 0;
};

// Embeds `inputs` in calls of `per_call` records (all at once when 0); the time taken.
Seconds timed(EmbeddingEngine& engine, const std::vector<std::string>& inputs, std::size_t per_call,
              std::vector<float>& vectors) {
  vectors.clear();
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  if (per_call == 0) per_call = inputs.size();
  for (std::size_t first = 0; first < inputs.size(); first += per_call) {
    std::vector<std::string> call(inputs.begin() + static_cast<long>(first),
                                  inputs.begin() + static_cast<long>(std::min(inputs.size(), first + per_call)));
    RecordEmbeddings e = engine.embed(call);
    vectors.insert(vectors.end(), e.values.begin(), e.values.end());
  }
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC};
}

EmbeddingEngine make_engine(const Args& a, std::int64_t batch_size) {
  EmbeddingOptions options;
  options.batch_size = batch_size;
  options.threads = a.threads;
  return EmbeddingEngine(genobird::model::load_model_dir(a.model), c10::Device(c10::kCPU), options);
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) d = std::max(d, static_cast<double>(std::abs(a[i] - b[i])));
  return a.size() == b.size() ? d : 1e30;
}

void row(const char* input, const char* mode, std::size_t count, Seconds s, Seconds baseline) {
  std::printf("%-6s  %-24s  %6zu  %8.2f  %8.2f  %10.1f  %6.2fx\n", input, mode, count, s.wall, s.cpu, count / s.cpu,
              baseline.cpu / s.cpu);
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  at::set_num_threads(a.threads);
  std::vector<std::string> genome;
  {
    genobird::io::SequenceReader reader(a.genome);
    genobird::io::SequenceRecord record;
    while (reader.next(record)) genome.push_back(std::move(record.seq));
  }
  std::mt19937 rng(11);
  const auto kb = pieces(genome, std::vector<std::size_t>(a.regions, 1000), rng);
  const auto long_records = pieces(genome, std::vector<std::size_t>(a.records, 16000), rng);
  std::vector<std::size_t> mixed_lengths;
  for (std::size_t i = 0; i < a.regions; ++i) mixed_lengths.push_back(100 + rng() % 2901);
  const auto mixed = pieces(genome, mixed_lengths, rng);

  EmbeddingEngine batched = make_engine(a, a.batch_size);
  EmbeddingEngine single = make_engine(a, 1);
  std::vector<float> warm;
  timed(batched, {kb.front()}, 0, warm);

  std::printf("bench_embed: model %s, %d thread(s), batch size %lld\n", a.model.c_str(), a.threads,
              static_cast<long long>(a.batch_size));
  std::printf("%-6s  %-24s  %6s  %8s  %8s  %10s  %7s\n", "input", "mode", "n", "wall_s", "cpu_s", "per_cpu_s", "speedup");
  std::vector<float> v1, v2, v3;
  const Seconds kb_single = timed(single, kb, 1, v1);
  row("1kb", "one window at a time", kb.size(), kb_single, kb_single);
  const Seconds kb_batched = timed(batched, kb, 256, v2);
  row("1kb", "batched by length", kb.size(), kb_batched, kb_single);
  std::printf("        max |difference| of the vectors: %.2g\n", max_difference(v1, v2));

  const Seconds long_single = timed(single, long_records, 1, v1);
  row("16kb", "one window at a time", long_records.size(), long_single, long_single);
  const Seconds long_batched = timed(batched, long_records, 256, v2);
  row("16kb", "batched by length", long_records.size(), long_batched, long_single);
  std::printf("        windows per 16 kb record: %llu records cut into windows; max |difference|: %.2g\n",
              static_cast<unsigned long long>(batched.windowed_records()), max_difference(v1, v2));

  const Seconds mixed_single = timed(single, mixed, 1, v1);
  row("mixed", "one window at a time", mixed.size(), mixed_single, mixed_single);
  const Seconds mixed_order = timed(batched, mixed, static_cast<std::size_t>(a.batch_size), v2);
  row("mixed", "batched in input order", mixed.size(), mixed_order, mixed_single);
  const Seconds mixed_length = timed(batched, mixed, 256, v3);
  row("mixed", "batched by length", mixed.size(), mixed_length, mixed_single);
  std::printf("        by length vs input order: %.2fx; max |difference|: %.2g\n", mixed_order.cpu / mixed_length.cpu,
              std::max(max_difference(v1, v2), max_difference(v1, v3)));
  return 0;
}
