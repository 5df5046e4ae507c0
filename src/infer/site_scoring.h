// Scoring of sites with alternate alleles, shared by `variants` and `mutagenesis`.
//
// A site is a reference span [start, end) of a chromosome, its REF bases and the ALT alleles to score. Its
// reference window is built once (allele_window with REF) and each scorable ALT gets its own window
// (allele_window with the ALT), so a multi-allelic site costs 1 + ALTs windows. The windows of consecutive
// sites are batched by run_prefetch_pipeline (reading and tokenizing ahead of the model, as predict does),
// and every site, scored or not, reaches `take` in the order `next_site` produced it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "infer/prefetch_pipeline.h"
#include "infer/scoring_engine.h"
#include "infer/windows.h"
#include "io/indexed_fasta.h"

namespace genobird::infer {

struct Site {
  std::string chrom;
  std::uint64_t start = 0, end = 0;  // REF span, 0-based half-open
  std::vector<std::string> alts;
  std::vector<bool> scored;          // per ALT: false leaves it unscored (symbolic allele, invalid record)
};

// Probabilities of one site: [outputs] for the reference window, [alts][outputs] for the ALT windows
// (rows of unscored ALTs are meaningless), and the N padding of the reference window.
struct SiteScores {
  const float* ref = nullptr;
  std::vector<const float*> alt;
  std::uint64_t padded_bp = 0;
};

template <class Meta>
struct SiteItem {
  Site site;
  Meta meta;
  std::size_t first_window = 0;  // index of the reference window in the chunk; none when no ALT is scored
  std::size_t windows = 0;
  std::uint64_t padded_bp = 0;
};

// next_site(site, meta) fills the next site (false at the end of the input); take(site, meta, scores) gets
// every site in order, with scores.ref == nullptr when none of its ALTs was scored.
template <class Meta>
void score_sites(ScoringEngine& engine, const io::IndexedFasta& genome, std::int64_t window_bp,
                 std::size_t chunk_windows, std::size_t chunks_ahead,
                 const std::function<bool(Site&, Meta&)>& next_site,
                 const std::function<void(const Site&, const Meta&, const SiteScores&)>& take) {
  std::function<bool(WindowChunk<SiteItem<Meta>>&)> produce = [&](WindowChunk<SiteItem<Meta>>& chunk) {
    while (chunk.windows.size() < chunk_windows) {
      SiteItem<Meta> item;
      if (!next_site(item.site, item.meta)) return false;
      const Site& site = item.site;
      item.first_window = chunk.windows.size();
      bool any = false;
      for (bool s : site.scored) any = any || s;
      if (any) {
        const std::uint64_t length = genome.length(site.chrom);
        std::string bases;
        const std::string ref = genome.fetch(site.chrom, site.start, site.end);
        item.padded_bp = allele_window(genome, site.chrom, length, site.start, site.end, ref, window_bp, bases);
        chunk.windows.push_back(std::move(bases));
        for (std::size_t a = 0; a < site.alts.size(); ++a) {
          if (!site.scored[a]) continue;
          allele_window(genome, site.chrom, length, site.start, site.end, site.alts[a], window_bp, bases);
          chunk.windows.push_back(std::move(bases));
        }
      }
      item.windows = chunk.windows.size() - item.first_window;
      chunk.items.push_back(std::move(item));
    }
    return true;
  };
  const std::size_t width = engine.outputs().size();
  std::function<void(const WindowChunk<SiteItem<Meta>>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<SiteItem<Meta>>& chunk, const std::vector<float>& probabilities) {
        for (const auto& item : chunk.items) {
          SiteScores scores;
          scores.alt.assign(item.site.alts.size(), nullptr);
          if (item.windows > 0) {
            std::size_t w = item.first_window;
            scores.ref = &probabilities[w++ * width];
            scores.padded_bp = item.padded_bp;
            for (std::size_t a = 0; a < item.site.alts.size(); ++a)
              if (item.site.scored[a]) scores.alt[a] = &probabilities[w++ * width];
          }
          take(item.site, item.meta, scores);
        }
      };
  // A chunk whose sites have no scorable ALT has no windows but must still reach `take`.
  run_prefetch_pipeline<SiteItem<Meta>>(engine, chunks_ahead, produce, consume);
}

}  // namespace genobird::infer
