// `rejuv plot` as a user runs it: every kind writes FILE.svg, FILE.png (1200x800), FILE.dat and
// FILE.gp; without gnuplot it says so, writes the .dat and .gp and exits 0; bad input names the
// file and place, exits 2 and writes nothing. Also `rejuv curves` and the shipped data/curves.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "cli_runner.hpp"
#include "fitting/synthetic_curves.hpp"
#include "models/throughput.hpp"
#include "paper_params.hpp"
#include "plots/plot.hpp"

namespace rejuv::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

#define REQUIRE_GNUPLOT()                                                                    \
  if (!plots::find_on_path("gnuplot"))                                                      \
    GTEST_SKIP() << "gnuplot is not on PATH, so nothing can be rendered (make test installs " \
                    "it through tools/install-deps)"

// PNG: the 8-byte signature, then the IHDR chunk whose data starts with width and height
// (big-endian 32-bit) at bytes 16 and 20.
std::pair<unsigned, unsigned> png_size(const fs::path& file) {
  const std::string b = read_file(file);
  if (b.size() < 24 || b.compare(1, 3, "PNG") != 0 || b.compare(12, 4, "IHDR") != 0) return {0, 0};
  auto be = [&](size_t k) {
    return (unsigned(uint8_t(b[k])) << 24) | (unsigned(uint8_t(b[k + 1])) << 16) |
           (unsigned(uint8_t(b[k + 2])) << 8) | unsigned(uint8_t(b[k + 3]));
  };
  return {be(16), be(20)};
}

// Runs `rejuv plot ARGS --out DIR/STEM.svg` and checks all four files.
void expect_rendered(const std::vector<std::string>& args, const TempDir& dir, const std::string& stem) {
  std::vector<std::string> full = {"plot"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--out", (dir / (stem + ".svg")).string()});
  const auto r = run_cli(full);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string svg = read_file(dir / (stem + ".svg"));
  EXPECT_NE(svg.find("<svg"), std::string::npos) << stem;
  EXPECT_EQ(png_size(dir / (stem + ".png")), std::make_pair(unsigned(plots::kWidth), unsigned(plots::kHeight)));
  EXPECT_FALSE(read_file(dir / (stem + ".dat")).empty());
  const std::string gp = read_file(dir / (stem + ".gp"));
  EXPECT_NE(gp.find("set terminal svg"), std::string::npos);
  EXPECT_NE(gp.find("set terminal pngcairo"), std::string::npos);
  EXPECT_NE(gp.find("\"" + stem + ".dat\""), std::string::npos);
  for (const auto& f : dir.files()) EXPECT_EQ(f.find(".tmp-"), std::string::npos) << "left behind: " << f;
}

TEST(Plot, Fig7DrawsThePapersFigureWithItsCrossovers) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  expect_rendered({"fig7", source_path("data/kourai2007.json").string()}, dir, "fig7");
  const Params p = parse_params(load_json(source_path("data/kourai2007.json")));
  const std::string gp = read_file(dir / "fig7.gp");
  EXPECT_NE(gp.find("set logscale x"), std::string::npos);
  EXPECT_NE(gp.find("set yrange [0.997:1.0]"), std::string::npos);  // the paper's figure 7 range
  for (Strategy s : {Strategy::Migration, Strategy::Live, Strategy::LiveRateControl})
    EXPECT_NE(gp.find(fmt::format("set arrow from {},graph 0", *crossover(p, s, Strategy::Cold))),
              std::string::npos)
        << name(s);
  EXPECT_NE(read_file(dir / "fig7.dat").find("\n1000000 "), std::string::npos);
}

TEST(Plot, TimelineOfASimulatorRun) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  write_file(dir / "tiny.json",
             json{{"kind", "rejuvenation"}, {"extends", source_path("data/kourai2007.json").string()},
                  {"hosts", 8}, {"strategies", {"warm", "migration"}}, {"horizon", "60d"},
                  {"seed", 3}, {"timeline_rows", 100}}
                 .dump());
  auto r = run_cli({"run", (dir / "tiny.json").string(), "--out", (dir / "run").string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_rendered({"timeline", (dir / "run").string()}, dir, "timeline");
  EXPECT_NE(read_file(dir / "timeline.gp").find("time (days)"), std::string::npos);
}

TEST(Plot, TimelineOfAnAutoscaleRunDrawsDemandCapacityAndCpu) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  auto r = run_cli({"run", source_path("scenarios/ciel-apache.json").string(), "--out", (dir / "run").string(),
                    "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_rendered({"timeline", (dir / "run").string()}, dir, "autoscale");
  const std::string gp = read_file(dir / "autoscale.gp"), dat = read_file(dir / "autoscale.dat");
  EXPECT_NE(gp.find("set multiplot layout 3,2"), std::string::npos);  // five strategies
  EXPECT_NE(gp.find("ciel: scale-out in 89.5 s"), std::string::npos);
  EXPECT_NE(gp.find("\"apache out\""), std::string::npos);
  EXPECT_NE(dat.find("# block 0: vm apache"), std::string::npos);
  EXPECT_NE(dat.find("CPU of VM apache-1"), std::string::npos);
  // A timeline with an unknown metric names the place.
  write_file(dir / "timeline.csv", "time_s,strategy,metric,subject,value\n0,ciel,demand,apache,5\n0,ciel,heat,web,1\n");
  r = run_cli({"plot", "timeline", (dir / "timeline.csv").string(), "--out", (dir / "x.svg").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("timeline.csv:3:8: metric: expected demand, capacity"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "x.dat"));
}

TEST(Plot, TimelineOfACurveSetWithItsFittedStep) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  fitting::write_reboot_set(dir / "warm", fitting::RebootKind::Warm, {59, 25, 0.61}, 560, 11);
  auto r = run_cli({"fit", (dir / "warm").string(), "--kind", "warm", "--out",
                    (dir / "warm-fit.json").string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  expect_rendered({"timeline", (dir / "warm").string(), "--fit", (dir / "warm-fit.json").string()},
                  dir, "warm");
  const std::string dat = read_file(dir / "warm.dat");
  EXPECT_NE(dat.find("# Fitted step"), std::string::npos);
  // The step drops to 0 at the reboot event (100 s, the synthetic lead).
  EXPECT_NE(dat.find("\n100 0\n"), std::string::npos) << dat.substr(dat.find("# Fitted"));
  // A migration curve set draws src and dst and marks every move.
  fitting::write_migration_set(dir / "mig", fitting::MigrationKind::Live, 11, 560,
                               paper_params().live.curves);
  expect_rendered({"timeline", (dir / "mig").string()}, dir, "mig");
  EXPECT_NE(read_file(dir / "mig.gp").find("migration start vm11"), std::string::npos);
}

TEST(Plot, CurvesOfTable1) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  expect_rendered({"curves", source_path("data/kourai2007.json").string()}, dir, "curves");
  // Table 1, normal migration, M(i) = 0.61 i + 12 at i = 3.
  EXPECT_NE(read_file(dir / "curves.dat").find("\n3 34.2 NaN "), std::string::npos);
}

const char* kSweep =
    "hosts,strategy,seed,index,closed_form_index,availability,mean_throughput,late_rejuvenations,"
    "mean_lateness_s,max_lateness_s,spare_saturation_hosts,events,index_ci95_half_width\n"
    "100,warm,1,0.99966,0.99966,0.9998,55981,0,0,0,,100,0.00001\n"
    "100,migration,2,0.9897,0.9897,0.9999,55420,0,0,0,6000,100,0.00002\n"
    "1000,warm,3,0.99966,0.99966,0.9998,559810,0,0,0,,100,0.00001\n"
    "1000,migration,4,0.99865,0.99865,0.9999,559242,0,0,0,6000,100,0.00002\n";

TEST(Plot, SweepColumnWithConfidenceBands) {
  REQUIRE_GNUPLOT();
  TempDir dir;
  write_file(dir / "sweep.csv", kSweep);
  expect_rendered({"sweep", (dir / "sweep.csv").string()}, dir, "index");
  EXPECT_NE(read_file(dir / "index.gp").find("filledcurves"), std::string::npos);
  expect_rendered({"sweep", dir.path().string(), "--x", "hosts", "--y", "availability"}, dir, "avail");
  EXPECT_EQ(read_file(dir / "avail.gp").find("filledcurves"), std::string::npos);
}

TEST(Plot, WithoutGnuplotSaysSoAndStillWritesDataAndScript) {
  TempDir dir;
  const fs::path err = dir / "stderr.txt";
  const std::string cmd = fmt::format("env PATH=/nonexistent '{}' plot fig7 '{}' --out '{}' 2>'{}'", REJUV_EXE,
                                      source_path("data/kourai2007.json").string(),
                                      (dir / "f.png").string(), err.string());
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(read_file(err).find("gnuplot not found on PATH"), std::string::npos) << read_file(err);
  EXPECT_NE(read_file(dir / "f.gp").find("do for [format in \"svg png\"]"), std::string::npos);
  EXPECT_FALSE(read_file(dir / "f.dat").empty());
  EXPECT_FALSE(fs::exists(dir / "f.png"));
  EXPECT_FALSE(fs::exists(dir / "f.svg"));
}

TEST(Plot, BadInputNamesTheFileAndPlaceAndWritesNothing) {
  TempDir dir;
  const std::string out = (dir / "out" / "x.svg").string();
  auto r = run_cli({"plot", "histogram", "x", "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown kind \"histogram\""), std::string::npos) << r.err;

  r = run_cli({"plot", "fig7", (dir / "missing.json").string(), "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("missing.json"), std::string::npos) << r.err;

  write_file(dir / "sweep.csv", kSweep);
  r = run_cli({"plot", "sweep", (dir / "sweep.csv").string(), "--y", "speed", "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("sweep.csv:1: --y: no column \"speed\""), std::string::npos) << r.err;

  r = run_cli({"plot", "sweep", (dir / "sweep.csv").string(), "--x", "seed", "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("\"seed\" is not a swept key"), std::string::npos) << r.err;

  write_file(dir / "bad.csv", "hosts,strategy,index\n100,warm,0.99\n200,warm,zero\n");
  r = run_cli({"plot", "sweep", (dir / "bad.csv").string(), "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("bad.csv:3:10: index: expected a number, got \"zero\""), std::string::npos)
      << r.err;

  write_file(dir / "short.csv", "hosts,strategy,index\n100,warm\n");
  r = run_cli({"plot", "sweep", (dir / "short.csv").string(), "--out", out});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("short.csv:2: expected 3 cells"), std::string::npos) << r.err;

  r = run_cli({"plot", "fig7", source_path("data/kourai2007.json").string(), "--out",
               (dir / "x.pdf").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find(".svg or .png"), std::string::npos) << r.err;

  EXPECT_FALSE(fs::exists(dir / "out" / "x.dat"));
  EXPECT_FALSE(fs::exists(dir / "out" / "x.gp"));
  EXPECT_FALSE(fs::exists(dir / "x.dat"));
}

TEST(Curves, ShippedSimulatedSuiteFitsBackToThePapersValues) {
  TempDir dir;
  auto r = run_cli({"fit", "--suite", source_path("data/curves").string(), "--out",
                    (dir / "p.json").string(), "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Params p = parse_params(json::parse(read_file(dir / "p.json")));
  EXPECT_NEAR(gamma(p), 0.60, 0.01);         // §4.2: γ = 0.60
  EXPECT_NEAR(p.warm.downtime, 59, 2);       // §4.1: D_w(11) = 59 s
}

TEST(Curves, CommandReproducesTheShippedFiles) {
  TempDir dir;
  auto r = run_cli({"curves", source_path("data/kourai2007.json").string(), "--kind", "all", "--out",
                    (dir / "c").string(), "--seed", "2007", "--noise", "0.01"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : {"base.json", "warm/throughput.csv", "os/events.csv", "live_rate_control/throughput.csv"})
    EXPECT_EQ(read_file(dir / "c" / f), read_file(source_path("data/curves") / f)) << f;
  r = run_cli({"curves", source_path("data/kourai2007.json").string(), "--table", "--out",
               (dir / "t").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* f : {"migration.csv", "live.csv", "live_rate_control.csv"})
    EXPECT_EQ(read_file(dir / "t" / f), read_file(source_path("data/table1") / f)) << f;
  r = run_cli({"curves", source_path("data/kourai2007.json").string(), "--kind", "hot", "--out",
               (dir / "h").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--kind: expected warm"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "h"));
}

}  // namespace
}  // namespace rejuv::testing
