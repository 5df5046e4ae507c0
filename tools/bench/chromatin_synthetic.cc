// bench_chromatin_synthetic: a synthetic chromatin-profile test on a real genome sequence, for the
// long- versus short-context experiment (tools/bench/heads/chromatin_synthetic.sh, docs/benchmarks.md).
//
// How the data is made (seeded, so a run is reproducible):
//   1. Sequence: the records of a real genome FASTA (Klebsiella) joined in file order; the first
//      `chroms` x `chrom_bp` bases are cut into chromosomes chr1..chrN, upper-cased. Planted motifs
//      overwrite the real bases.
//   2. Motifs: `motifs` random `motif_bp`-mers M0..M(m-1). Every planted copy is noisy: each base is
//      replaced by a random one with probability noise_percent / 100.
//   3. Events, one every 10 bins (2 kb), each at the centre c of its bin and at least far_bp + 900 bp from
//      each chromosome end, of one of four kinds drawn at random for a motif i drawn at random:
//        single  M_i at c
//        near    M_i at c and M_(i+1) at c + near_bp (inside a 1 kb window)
//        far     M_i at c and M_(i+2) at c + far_bp (outside a 1 kb window when far_bp > 500)
//        decoy   M_(i+1) at c + near_bp and M_(i+2) at c + far_bp without M_i
//   4. Profiles (3 per motif): S_i (bin has M_i at its centre: single, near or far event of motif i),
//      N_i (near event of motif i), F_i (far event of motif i). With --distal-profiles 1, a fourth:
//      D_j (bin has M_j at c + far_bp: far and decoy events of motif j - 2), so that F_i = S_i and D_(i+2).
//      Each is written as a 200 bp peak on the event's bin; 5% of peaks are left out at random (label
//      noise). D_j's peaks are dropped by a generator of their own, so the sequence and the S, N and F
//      peaks are the same with and without them.
// So S_i needs only the bin, N_i a pair near_bp apart, F_i a pair far_bp apart and D_j a motif far_bp away:
// a model that reads 1 kb around the bin cannot tell a far event from a single one, one whose window
// reaches c + far_bp can.
//   bench_chromatin_synthetic GENOME.fa OUT_PREFIX [--chroms 10] [--chrom-bp 200000] [--motifs 8]
//       [--motif-bp 8] [--noise-percent 10] [--near-bp 150] [--far-bp 1500] [--distal-profiles 0] [--seed 42]
// writes OUT_PREFIX.fa and OUT_PREFIX.peaks.bed (chrom, start, end, profile); the motifs go to stderr.
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "io/sequence.h"
#include "io/sequence_reader.h"

namespace {

const char kBases[4] = {'A', 'C', 'G', 'T'};

// Writes `motif` centred on `centre`, each base replaced by a random one with probability noise_percent / 100.
void plant(std::string& seq, std::size_t centre, const std::string& motif, std::size_t noise_percent, std::mt19937_64& rng) {
  const std::size_t at = centre - motif.size() / 2;
  for (std::size_t i = 0; i < motif.size(); ++i)
    seq[at + i] = (rng() % 100 < noise_percent) ? kBases[rng() & 3] : motif[i];
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: bench_chromatin_synthetic GENOME.fa OUT_PREFIX [--chroms N] [--chrom-bp N] [--motifs N] [--motif-bp N]\n"
      "       [--noise-percent N] [--near-bp N] [--far-bp N] [--distal-profiles 0|1] [--seed N]\n";
  if (argc < 3) {
    std::fputs(usage, stderr);
    return 2;
  }
  const std::string genome_path = argv[1], prefix = argv[2];
  std::size_t chroms = 10, chrom_bp = 200000, motifs = 8, motif_bp = 8, noise_percent = 10, near_bp = 150, far_bp = 1500;
  std::uint64_t seed = 42;
  bool distal_profiles = false;
  for (int i = 3; i < argc; i += 2) {
    const std::string a = argv[i];
    if (i + 1 == argc) {
      std::fprintf(stderr, "bench_chromatin_synthetic: %s needs a value\n%s", a.c_str(), usage);
      return 2;
    }
    const std::uint64_t v = std::stoull(argv[i + 1]);
    if (a == "--chroms") chroms = v;
    else if (a == "--chrom-bp") chrom_bp = v;
    else if (a == "--motifs") motifs = v;
    else if (a == "--motif-bp") motif_bp = v;
    else if (a == "--noise-percent") noise_percent = v;
    else if (a == "--near-bp") near_bp = v;
    else if (a == "--far-bp") far_bp = v;
    else if (a == "--distal-profiles") distal_profiles = v != 0;
    else if (a == "--seed") seed = v;
    else {
      std::fprintf(stderr, "bench_chromatin_synthetic: unknown option %s\n%s", a.c_str(), usage);
      return 2;
    }
  }
  // Events sit on bin centres at least `margin` from each chromosome end, so every window up to 2 x margin
  // long, centred on an event bin, lies inside its chromosome.
  const std::size_t margin = far_bp + 900;
  if (motifs < 3 || motif_bp == 0 || near_bp < motif_bp || far_bp <= near_bp || chrom_bp < 4 * margin) {
    std::fprintf(stderr, "bench_chromatin_synthetic: need --motifs >= 3, motif-bp <= near-bp < far-bp, chrom-bp >= 4 x (far-bp + 900)\n");
    return 2;
  }
  // The records of GENOME.fa, joined in file order.
  genobird::io::SequenceReader reader(genome_path, {true});
  genobird::io::SequenceRecord record;
  std::string genome;
  while (genome.size() < chroms * chrom_bp && reader.next(record)) genome += record.seq;
  if (genome.size() < chroms * chrom_bp) {
    std::fprintf(stderr, "bench_chromatin_synthetic: %s: its records hold %zu bp, fewer than %zu\n", genome_path.c_str(),
                 genome.size(), chroms * chrom_bp);
    return 1;
  }
  std::mt19937_64 rng(seed), distal_drop_rng(seed + 1);
  std::vector<std::string> motif(motifs);
  for (auto& m : motif)
    for (std::size_t i = 0; i < motif_bp; ++i) m += kBases[rng() & 3];
  std::ofstream fa(prefix + ".fa"), bed(prefix + ".peaks.bed");
  const std::size_t bin = 200;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (std::size_t c = 0; c < chroms; ++c) {
    const std::string name = "chr" + std::to_string(c + 1);
    std::string seq = genome.substr(c * chrom_bp, chrom_bp);
    for (std::size_t b = (margin + bin - 1) / bin; b * bin + margin <= chrom_bp; b += 10) {
      const std::size_t centre = b * bin + bin / 2, i = rng() % motifs, kind = rng() % 4;
      ++counts[kind];
      const std::size_t a = (i + 1) % motifs, f = (i + 2) % motifs;
      std::vector<std::string> profiles;
      if (kind != 3) {
        plant(seq, centre, motif[i], noise_percent, rng);
        profiles.push_back("S" + std::to_string(i));
      }
      if (kind == 1 || kind == 3) plant(seq, centre + near_bp, motif[a], noise_percent, rng);
      if (kind == 2 || kind == 3) plant(seq, centre + far_bp, motif[f], noise_percent, rng);
      if (kind == 1) profiles.push_back("N" + std::to_string(i));
      if (kind == 2) profiles.push_back("F" + std::to_string(i));
      for (const auto& p : profiles)
        if (rng() % 20 != 0) bed << name << "\t" << b * bin << "\t" << (b + 1) * bin << "\t" << p << "\n";
      if (distal_profiles && (kind == 2 || kind == 3) && distal_drop_rng() % 20 != 0)
        bed << name << "\t" << b * bin << "\t" << (b + 1) * bin << "\tD" << f << "\n";
    }
    fa << ">" << name << "\n";
    for (std::size_t p = 0; p < seq.size(); p += 80) fa << seq.substr(p, 80) << "\n";
  }
  std::fprintf(stderr, "bench_chromatin_synthetic: %zu chromosomes of %zu bp; events: %zu single, %zu near, %zu far, %zu decoy\n",
               chroms, chrom_bp, counts[0], counts[1], counts[2], counts[3]);
  for (std::size_t i = 0; i < motifs; ++i) std::fprintf(stderr, "motif M%zu %s\n", i, motif[i].c_str());
  return 0;
}
