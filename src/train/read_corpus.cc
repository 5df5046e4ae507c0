#include "train/read_corpus.h"

#include <algorithm>
#include <filesystem>

#include "io/read_sequences.h"
#include "io/sequence.h"
#include "util/output_file.h"

namespace genobird::train {
namespace {

void add_read(OutputFile& out, std::size_t input, std::uint64_t record, std::string& seq, ReadCorpus& corpus) {
  if (seq.empty()) return;
  io::to_upper_inplace(seq);
  out << ">r" << std::to_string(input + 1) << "_" << std::to_string(record) << "\n" << seq << "\n";
  ++corpus.reads;
  corpus.bases += seq.size();
  corpus.longest = std::max<std::uint64_t>(corpus.longest, seq.size());
}

}  // namespace

ReadCorpus write_read_corpus(const std::vector<std::string>& inputs, const std::string& reference,
                             const std::string& fasta) {
  ReadCorpus corpus;
  OutputFile out(fasta);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::uint64_t record = 0;
    io::for_each_read_sequence(inputs[i], reference, [&](std::string& seq) {
      add_read(out, i, ++record, seq, corpus);
      return true;
    });
  }
  std::error_code ignored;
  std::filesystem::remove(fasta + ".fai", ignored);  // an index of an earlier corpus would not match
  out.commit();
  return corpus;
}

}  // namespace genobird::train
