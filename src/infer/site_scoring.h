// Scoring of sites with alternate alleles, shared by `variants` and `mutagenesis`.
//
// A site is a reference span [start, end) of a chromosome, its REF bases and the ALT alleles to score. Its
// reference window is built once (allele_window with REF) and each scorable ALT gets its own window
// (allele_window with the ALT), so a multi-allelic site costs 1 + ALTs windows; consecutive sites with the same
// span (a multi-allelic site split into one record per ALT, as `bcftools norm -m-` writes it) share the
// reference window when they fall in the same chunk. The windows of consecutive
// sites are batched by run_prefetch_pipeline (reading and tokenizing ahead of the model, as predict does),
// and every site, scored or not, reaches `take` in the order `next_site` produced it.
#pragma once

#include <cstdint>
#include <cstddef>
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
  bool ref_shared = false;  // the reference window was the previous site's (same span), scored once for both
};

template <class Meta>
struct SiteItem {
  Site site;
  Meta meta;
  bool scored = false;           // at least one ALT is scored
  bool ref_shared = false;       // the reference window is the previous site's
  std::size_t ref_window = 0;    // index of the reference window in the chunk (when scored)
  std::size_t first_alt = 0;     // index of the first ALT window
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
    std::size_t last_scored = SIZE_MAX;  // index in chunk.items of the latest site with a reference window
    while (chunk.windows.size() < chunk_windows) {
      SiteItem<Meta> item;
      if (!next_site(item.site, item.meta)) return false;
      const Site& site = item.site;
      for (bool s : site.scored) item.scored = item.scored || s;
      if (item.scored) {
        const std::uint64_t length = genome.length(site.chrom);
        std::string bases;
        const SiteItem<Meta>* last = last_scored == SIZE_MAX ? nullptr : &chunk.items[last_scored];
        if (last && last->site.chrom == site.chrom && last->site.start == site.start && last->site.end == site.end) {
          item.ref_window = last->ref_window;
          item.padded_bp = last->padded_bp;
          item.ref_shared = true;
        } else {
          const std::string ref = genome.fetch(site.chrom, site.start, site.end);
          item.ref_window = chunk.windows.size();
          item.padded_bp = allele_window(genome, site.chrom, length, site.start, site.end, ref, window_bp, bases);
          chunk.windows.push_back(std::move(bases));
        }
        item.first_alt = chunk.windows.size();
        for (std::size_t a = 0; a < site.alts.size(); ++a) {
          if (!site.scored[a]) continue;
          allele_window(genome, site.chrom, length, site.start, site.end, site.alts[a], window_bp, bases);
          chunk.windows.push_back(std::move(bases));
        }
      }
      chunk.items.push_back(std::move(item));
      if (chunk.items.back().scored) last_scored = chunk.items.size() - 1;
    }
    return true;
  };
  const std::size_t width = engine.outputs().size();
  std::function<void(const WindowChunk<SiteItem<Meta>>&, const std::vector<float>&)> consume =
      [&](const WindowChunk<SiteItem<Meta>>& chunk, const std::vector<float>& probabilities) {
        for (const auto& item : chunk.items) {
          SiteScores scores;
          scores.alt.assign(item.site.alts.size(), nullptr);
          if (item.scored) {
            std::size_t w = item.first_alt;
            scores.ref = &probabilities[item.ref_window * width];
            scores.padded_bp = item.padded_bp;
            scores.ref_shared = item.ref_shared;
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
