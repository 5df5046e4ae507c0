// annotate's bigWig output read back with libBigWig equals its bedGraph (one signal) and its multi-label TSV
// (one bigWig per label), on the real lambda genome with the fixture model.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "infer/genome_annotation.h"
#include "model/model_dir.h"
#include "scratch_dir.h"
#include "test_model.h"

#define NOCURL
extern "C" {
#include <bigWig.h>
}

namespace genobird::infer {
namespace {

struct Row {
  std::string chrom;
  std::uint32_t start = 0, end = 0;
  std::vector<std::string> values;
};

std::vector<Row> read_rows(const std::string& path) {
  std::vector<Row> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Row row;
    fields >> row.chrom >> row.start >> row.end;
    std::string v;
    while (fields >> v) row.values.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

// The bigWig's intervals as bedGraph text with the 4 decimals genobird writes.
std::vector<Row> read_bigwig(const std::string& path) {
  std::vector<Row> rows;
  bigWigFile_t* file = bwOpen(path.c_str(), nullptr, "r");
  EXPECT_NE(file, nullptr) << path;
  if (!file) return rows;
  for (std::int64_t c = 0; c < file->cl->nKeys; ++c) {
    bwOverlappingIntervals_t* got = bwGetOverlappingIntervals(file, file->cl->chrom[c], 0, file->cl->len[c]);
    for (std::uint32_t i = 0; got && i < got->l; ++i) {
      char text[32];
      std::snprintf(text, sizeof text, "%.4f", static_cast<double>(got->value[i]));
      rows.push_back({file->cl->chrom[c], got->start[i], got->end[i], {text}});
    }
    if (got) bwDestroyOverlappingIntervals(got);
  }
  bwClose(file);
  return rows;
}

ScoringEngine make_engine() {
  return ScoringEngine(model::load_model_dir(testing::make_test_model_dir()), c10::Device(c10::kCPU), {});
}

TEST(AnnotateBigWig, OneSignalEqualsTheBedGraph) {
  ScoringEngine engine = make_engine();
  const auto dir = test::scratch_dir();
  AnnotateOptions options;
  options.step = 500;
  options.head = "promoter";
  annotate_genome(engine, testing::lambda_path(), (dir / "p.bedgraph").string(), options);
  annotate_genome(engine, testing::lambda_path(), (dir / "p.bw").string(), options);
  const auto bedgraph = read_rows((dir / "p.bedgraph").string());
  const auto bigwig = read_bigwig((dir / "p.bw").string());
  ASSERT_EQ(bedgraph.size(), 98u);  // 48,502 bp in 500 bp bins
  ASSERT_EQ(bigwig.size(), bedgraph.size());
  for (std::size_t i = 0; i < bedgraph.size(); ++i) {
    EXPECT_EQ(bigwig[i].chrom, bedgraph[i].chrom);
    EXPECT_EQ(bigwig[i].start, bedgraph[i].start);
    EXPECT_EQ(bigwig[i].end, bedgraph[i].end);
    EXPECT_EQ(bigwig[i].values[0], bedgraph[i].values[0]) << i;
  }
}

TEST(AnnotateBigWig, MultiLabelHeadsWriteOneFilePerLabel) {
  ScoringEngine engine = make_engine();
  const auto dir = test::scratch_dir();
  AnnotateOptions options;
  options.step = 1000;
  options.head = "chromatin";
  annotate_genome(engine, testing::lambda_path(), (dir / "c.tsv").string(), options);
  annotate_genome(engine, testing::lambda_path(), (dir / "c.bw").string(), options);
  EXPECT_FALSE(std::filesystem::exists(dir / "c.bw"));
  const auto table = read_rows((dir / "c.tsv").string());
  ASSERT_EQ(table.size(), 49u);
  const char* labels[] = {"dnase", "ctcf", "h3k4me3"};
  for (std::size_t k = 0; k < 3; ++k) {
    const std::string path = bigwig_label_path((dir / "c.bw").string(), labels[k]);
    EXPECT_EQ(path, (dir / ("c." + std::string(labels[k]) + ".bw")).string());
    const auto bigwig = read_bigwig(path);
    ASSERT_EQ(bigwig.size(), table.size()) << labels[k];
    for (std::size_t i = 0; i < table.size(); ++i) {
      EXPECT_EQ(bigwig[i].start, table[i].start);
      EXPECT_EQ(bigwig[i].values[0], table[i].values[k]) << labels[k] << " bin " << i;
    }
  }
}

}  // namespace
}  // namespace genobird::infer
