// bench_chromatin_synthetic: a synthetic chromatin-profile test on a real genome sequence, for the
// long- versus short-context experiment (tools/bench/heads/chromatin_synthetic.sh, docs/benchmarks.md).
//
// How the data is made (seeded, so a run is reproducible):
//   1. Sequence: the first `chroms` x `chrom_bp` bases of the first record of a real genome (Klebsiella),
//      cut into chromosomes chr1..chrN, upper-cased. Planted motifs overwrite the real bases.
//   2. Motifs: `motifs` random 8-mers M0..M(m-1). Every planted copy is noisy: each base is replaced by a
//      random one with probability 0.1 (so about half of the copies carry a mismatch).
//   3. Events, one every 10 bins (2 kb) from bin 12 on, 2.4 kb or more from each chromosome end, each at the
//      centre c of its bin, of one of four kinds drawn at random for motif i:
//        single  M_i at c
//        near    M_i at c and M_(i+1) at c + 150 (inside a 1 kb window)
//        far     M_i at c and M_(i+2) at c + 1500 (outside a 1 kb window, inside a 4 kb one)
//        decoy   M_(i+1) at c + 150 and M_(i+2) at c + 1500 without M_i
//   4. Profiles (3 per motif): S_i (bin has M_i at its centre: single, near or far event of motif i),
//      N_i (near event of motif i), F_i (far event of motif i). Each is written as a 200 bp peak on the
//      event's bin; 5% of peaks are left out at random (label noise).
// So S_i needs only the bin, N_i a pair 150 bp apart, F_i a pair 1.5 kb apart: a model that reads 1 kb
// around the bin cannot tell a far event from a single one (AUROC ~0.5 between them), one that reads 4 kb can.
//   bench_chromatin_synthetic GENOME.fa OUT_PREFIX [--chroms 10] [--chrom-bp 200000] [--motifs 8] [--seed 42]
// writes OUT_PREFIX.fa and OUT_PREFIX.peaks.bed (chrom, start, end, profile).
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "io/sequence.h"
#include "io/sequence_reader.h"

namespace {

const char kBases[4] = {'A', 'C', 'G', 'T'};

void plant(std::string& seq, std::size_t at, const std::string& motif, std::mt19937_64& rng) {
  for (std::size_t i = 0; i < motif.size(); ++i)
    seq[at + i] = (rng() % 10 == 0) ? kBases[rng() & 3] : motif[i];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_chromatin_synthetic GENOME.fa OUT_PREFIX [--chroms N] [--chrom-bp N] [--motifs N] [--seed N]\n");
    return 2;
  }
  const std::string genome_path = argv[1], prefix = argv[2];
  std::size_t chroms = 10, chrom_bp = 200000, motifs = 8;
  std::uint64_t seed = 42;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    std::uint64_t v = std::stoull(argv[i + 1]);
    if (a == "--chroms") chroms = v;
    else if (a == "--chrom-bp") chrom_bp = v;
    else if (a == "--motifs") motifs = v;
    else if (a == "--seed") seed = v;
    else {
      std::fprintf(stderr, "bench_chromatin_synthetic: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  genobird::io::SequenceReader reader(genome_path, {true});
  genobird::io::SequenceRecord record;
  if (!reader.next(record) || record.seq.size() < chroms * chrom_bp) {
    std::fprintf(stderr, "bench_chromatin_synthetic: %s: the first record is shorter than %zu bp\n", genome_path.c_str(),
                 chroms * chrom_bp);
    return 1;
  }
  std::mt19937_64 rng(seed);
  std::vector<std::string> motif(motifs);
  for (auto& m : motif)
    for (int i = 0; i < 8; ++i) m += kBases[rng() & 3];
  std::ofstream fa(prefix + ".fa"), bed(prefix + ".peaks.bed");
  const std::size_t bin = 200;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (std::size_t c = 0; c < chroms; ++c) {
    const std::string name = "chr" + std::to_string(c + 1);
    std::string seq = record.seq.substr(c * chrom_bp, chrom_bp);
    for (std::size_t b = 12; (b + 12) * bin <= chrom_bp; b += 10) {
      const std::size_t centre = b * bin + bin / 2, i = rng() % motifs, kind = rng() % 4;
      ++counts[kind];
      const std::size_t a = (i + 1) % motifs, f = (i + 2) % motifs;
      std::vector<std::string> profiles;
      if (kind != 3) {
        plant(seq, centre - 4, motif[i], rng);
        profiles.push_back("S" + std::to_string(i));
      }
      if (kind == 1 || kind == 3) plant(seq, centre + 150 - 4, motif[a], rng);
      if (kind == 2 || kind == 3) plant(seq, centre + 1500 - 4, motif[f], rng);
      if (kind == 1) profiles.push_back("N" + std::to_string(i));
      if (kind == 2) profiles.push_back("F" + std::to_string(i));
      for (const auto& p : profiles)
        if (rng() % 20 != 0) bed << name << "\t" << b * bin << "\t" << (b + 1) * bin << "\t" << p << "\n";
    }
    fa << ">" << name << "\n";
    for (std::size_t p = 0; p < seq.size(); p += 80) fa << seq.substr(p, 80) << "\n";
  }
  std::fprintf(stderr, "bench_chromatin_synthetic: %zu chromosomes of %zu bp; events: %zu single, %zu near, %zu far, %zu decoy\n",
               chroms, chrom_bp, counts[0], counts[1], counts[2], counts[3]);
  for (std::size_t i = 0; i < motifs; ++i) std::fprintf(stderr, "motif M%zu %s\n", i, motif[i].c_str());
  return 0;
}
