#include "io/read_sequences.h"

#include "io/alignment_reader.h"
#include "io/sequence_reader.h"

namespace genobird::io {

void for_each_read_sequence(const std::string& path, const std::string& reference,
                            const std::function<bool(std::string& sequence)>& use) {
  if (path != "-" && is_alignment_file(path)) {
    AlignmentReaderOptions options;
    options.reference = reference;
    AlignmentReader reader(path, options);
    ReadRecord read;
    while (reader.next(read))
      if (!use(read.seq)) return;
  } else {
    SequenceReader reader(path);
    SequenceRecord record;
    while (reader.next(record))
      if (!use(record.seq)) return;
  }
}

}  // namespace genobird::io
