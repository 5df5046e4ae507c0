// Learning a BPE vocabulary from DNA sequences.
//
// The corpus is normalised and cut into words exactly as the encoder does (alphabet.h): runs of A/C/G/T
// and runs of N. Training starts from the ten fixed tokens and repeatedly merges the most frequent
// adjacent pair of tokens until the vocabulary has `vocab_size` tokens or no pair occurs
// `min_frequency` times.
//
// Algorithm (incremental pair counts, as in sentencepiece's and HuggingFace's trainers): the corpus is a
// doubly linked list of symbols, one array slot per base. Every pair has a count and a list of the
// positions where it was seen; a max-heap orders pairs by count. Merging the best pair visits only its own
// positions and changes only the counts of the pairs around them (the neighbours lose a pair and gain one
// with the new token); heap entries whose count has changed since they were pushed are re-queued when
// they reach the top. The first counting pass runs on `threads` threads over slices of the corpus.
//
// Tie rule (determinism): among pairs of equal count the one whose left token text is smaller
// (byte order) wins, then the one whose right token text is smaller. The result does not depend on the
// thread count.
//
// Counting: overlapping occurrences count, as in HuggingFace (AAA holds the pair A+A twice); merging goes
// left to right (AAA -> AA A). A token longer than `max_token_length` bases is never formed (sentencepiece's
// max_sentencepiece_length, default 16, plays the same role: long tokens learned from a few repeat copies
// add nothing). A pair is merged at most once: if it forms again later (its left or right token being
// produced by a second merge) it is not counted. A pair whose merged token exists already and has already
// been used by an earlier merge is never merged, so the merge list is rank-monotone (every merge that
// uses a token comes after every merge that makes it), which lets the encoder cut long words (tokenizer.h).
//
// Memory: about 20 bytes per training base (links, ids, pair positions). Positions are 32-bit, so a
// training corpus is limited to 4 Gbp; use max_bases to train on a part of a larger genome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tokenizer/bpe_model.h"

namespace genobird::tokenizer {

struct BpeTrainerOptions {
  std::size_t vocab_size = 4096;      // special and base tokens included
  std::uint64_t min_frequency = 2;    // a pair seen fewer times is never merged
  std::size_t max_token_length = 16;  // bases
  std::uint64_t max_bases = 0;        // train_bpe_from_files: read at most this many bases (0: all)
  int threads = 1;
  bool show_progress = true;          // progress, a summary and warnings on stderr
};

// Throws UsageError with a specific message for an unusable option value.
void check_bpe_trainer_options(const BpeTrainerOptions& options);

// Trains on in-memory sequences (any bytes; normalised as in alphabet.h).
BpeModel train_bpe(const std::vector<std::string>& sequences, const BpeTrainerOptions& options);

// Trains on FASTA/FASTQ (plain or gzip) and SAM/BAM/CRAM files, read in order; with max_bases set, the
// first max_bases bases (the record at the limit is cut). Errors of the readers (InputError) pass through.
BpeModel train_bpe_from_files(const std::vector<std::string>& paths, const BpeTrainerOptions& options);

}  // namespace genobird::tokenizer
