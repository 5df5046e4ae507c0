#include "train/read_corpus.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "io/alignment_reader.h"
#include "io/sequence_reader.h"
#include "util/output_file.h"

namespace genobird::train {
namespace {

void add_read(OutputFile& out, std::size_t input, std::uint64_t record, std::string& seq, ReadCorpus& corpus) {
  if (seq.empty()) return;
  std::transform(seq.begin(), seq.end(), seq.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
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
    if (io::is_alignment_file(inputs[i])) {
      io::AlignmentReaderOptions options;
      options.reference = reference;
      io::AlignmentReader reader(inputs[i], options);
      io::ReadRecord read;
      while (reader.next(read)) add_read(out, i, ++record, read.seq, corpus);
    } else {
      io::SequenceReader reader(inputs[i]);
      io::SequenceRecord read;
      while (reader.next(read)) add_read(out, i, ++record, read.seq, corpus);
    }
  }
  std::error_code ignored;
  std::filesystem::remove(fasta + ".fai", ignored);  // an index of an earlier corpus would not match
  out.commit();
  return corpus;
}

}  // namespace genobird::train
