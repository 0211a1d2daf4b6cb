#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "models/input_error.hpp"
#include "sim/backends/forwarding_backend.hpp"
#include "sim/backends/recording.hpp"
#include "sim/backends/simulated_backend.hpp"
#include "sim/migration/migration_run.hpp"
#include "sim/migration/migration_scenario.hpp"
#include "sim/scenario.hpp"

namespace rejuv::sim {
namespace {

using nlohmann::json;
constexpr double kMiB = 1048576.0;

json grid_doc() {
  return json::parse(R"({
    "kind": "migration",
    "grid": {"memory": ["128MiB", "1GiB"], "dirty_rate": ["0MiB/s", "16MiB/s"],
             "bandwidth": ["32MiB/s", "rate_control"], "downtime_limit": ["100ms", "300ms"]},
    "repetitions": 3,
    "guest": {"fill_fraction": 0.5, "fill_less": "32MiB", "boot": "30s"},
    "model": {"link_rate": "1Gbit/s", "resume": "0.1s", "base": "64MiB"}})");
}

std::vector<std::vector<std::string>> rows(const std::string& csv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    std::string c;
    while (std::getline(l, c, ',')) cells.push_back(c);
    out.push_back(cells);
  }
  return out;
}

TEST(MigrationScenario, ReadsTheGridAndTheGuest) {
  const MigrationScenario sc = parse_migration_scenario(grid_doc());
  const std::vector<MigrationPoint> points = sc.points();  // points() makes them: keep the copy
  ASSERT_EQ(points.size(), 16u);  // 2 memories × 2 dirty rates × 2 bandwidths × 2 limits
  const MigrationPoint& p = points[1];
  EXPECT_DOUBLE_EQ(p.memory_bytes, 128 * kMiB);
  EXPECT_DOUBLE_EQ(p.fill_bytes, 32 * kMiB);  // half of 128 MiB less 32 MiB
  EXPECT_DOUBLE_EQ(p.bandwidth_Bps, 32 * kMiB);
  EXPECT_DOUBLE_EQ(p.downtime_limit_s, 0.3);
  EXPECT_TRUE(points[2].rate_control);
  EXPECT_EQ(sc.repetitions, 3);
  EXPECT_DOUBLE_EQ(sc.model.resume_s, 0.1);
}

// The first round carries the written memory (fill + base); the guest dirties its fill only.
TEST(MigrationModel, SendsTheWrittenMemoryAndDirtiesTheFill) {
  const MigrationPoint p{.memory_bytes = 1024 * kMiB, .fill_bytes = 480 * kMiB, .dirty_rate_Bps = 16 * kMiB,
                         .bandwidth_Bps = 32 * kMiB, .rate_control = false, .downtime_limit_s = 0.3};
  const PrecopyConfig c = precopy_config(p, {.link_rate_bps = 1e9, .resume_s = 0.1, .dirty_overlap = 0, .base_bytes = 64 * kMiB});
  EXPECT_EQ(c.stop_rule, PrecopyStopRule::qemu);
  EXPECT_DOUBLE_EQ(c.memory_bytes, 544 * kMiB);
  EXPECT_DOUBLE_EQ(c.working_set_bytes, 480 * kMiB);
  EXPECT_DOUBLE_EQ(c.max_bandwidth_bps, 8 * 32 * kMiB);
  EXPECT_FALSE(c.rate_control);
  // 544 MiB at 32 MiB/s = 17 s; meanwhile 272 MiB dirtied (16 MiB/s), then 136, 68, ... until
  // what is left fits 32 MiB/s × 0.3 s = 9.6 MiB: 8.5 MiB after the sixth pass.
  const PrecopyResult r = simulate_precopy(c);
  EXPECT_EQ(r.rounds, 7);
  EXPECT_NEAR(r.total_time_s, 17 + 8.5 + 4.25 + 2.125 + 1.0625 + 0.53125 + 8 * 8.5 * kMiB / 1e9 + 0.1, 1e-9);
}

// Run as it is, every migration takes the model's prediction: 16 points × 3 repetitions, each row
// with measured = predicted, back and forth between the two hosts.
TEST(MigrationRun, SimulatedRunRecordsThePredictionForEveryMigration) {
  const OutputFiles files = run_scenario(grid_doc(), RunOptions{.seed = {}, .progress = false});
  ASSERT_EQ(files.size(), 2u);
  const json summary = json::parse(files[0].second);
  EXPECT_EQ(summary["migrations"], 48);
  EXPECT_EQ(summary["failures"], 0);
  EXPECT_EQ(summary["data"], "simulated");
  EXPECT_EQ(summary["results"].size(), 16u);
  const auto r = rows(files[1].second);
  ASSERT_EQ(r.size(), 49u);
  EXPECT_EQ(r[0][10], "total_ms");
  EXPECT_EQ(r[0][14], "predicted_total_ms");
  for (size_t i = 1; i < r.size(); ++i) {
    EXPECT_EQ(r[i][8], "ok");
    EXPECT_NEAR(std::stod(r[i][10]), std::stod(r[i][14]), 0.5) << i;
    EXPECT_NEAR(std::stod(r[i][11]), std::stod(r[i][15]), 0.5) << i;
    EXPECT_EQ(r[i][12], r[i][16]);
    EXPECT_EQ(r[i][17], "simulated");
  }
  EXPECT_EQ(r[1][6] + r[1][7], "ab");
  EXPECT_EQ(r[2][6] + r[2][7], "ba");
}

// Through a given backend (as rejuv validate passes one), the run defines, starts, migrates with
// the grid's limits, and removes each guest: one guest per memory × dirty rate.
TEST(MigrationRun, ActsOnlyThroughTheGivenBackendAndCleansUp) {
  backends::SimulatedBackend world;
  backends::Recording log(world);
  run_scenario(grid_doc(), RunOptions{.seed = {}, .progress = false, .backend = &log});
  size_t migrates = 0, defines = 0, undefines = 0;
  for (const auto& e : log.log()) {
    migrates += e.op == backends::Op::migrate;
    defines += e.op == backends::Op::define;
    undefines += e.op == backends::Op::undefine;
  }
  EXPECT_EQ(migrates, 48u);
  EXPECT_EQ(defines, 4u);
  EXPECT_EQ(undefines, 4u);
  for (backends::DomainId d = 0; d < world.domain_count(); ++d)
    EXPECT_EQ(world.info(d).state, backends::DomainState::undefined);
}

// A world where the guest dies (its domain stops) right after its first move, as the rig's TCG
// guests often do.
class DiesAfterFirstMove final : public backends::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  backends::Outcome migrate(backends::DomainId d, backends::HostId to, const backends::MigrateOptions& o,
                            const backends::MigrationPlan& plan) override {
    backends::Outcome r = ForwardingBackend::migrate(d, to, o, plan);
    if (r.ok() && !died_) {
      died_ = true;
      ForwardingBackend::destroy(d, 0);
    }
    return r;
  }

 private:
  bool died_ = false;
};

TEST(MigrationRun, AGuestThatDiesAfterAMoveIsFlaggedAndStartedAgain) {
  backends::SimulatedBackend world;
  DiesAfterFirstMove dying(world);
  const OutputFiles files = run_scenario(grid_doc(), RunOptions{.seed = {}, .progress = false, .backend = &dying});
  const json summary = json::parse(files[0].second);
  EXPECT_EQ(summary["migrations"], 48);
  EXPECT_EQ(summary["guest_crashes"], 1);
  EXPECT_EQ(summary["failures"], 0);
  const auto r = rows(files[1].second);
  EXPECT_EQ(r[1][8], "ok-guest-crashed");
  for (size_t i = 2; i < r.size(); ++i) EXPECT_EQ(r[i][8], "ok") << i;
  EXPECT_EQ(r[2][6] + r[2][7], "ba");  // the new guest goes on from where the dead one arrived
}

std::string error_of(json doc) {
  try {
    parse_migration_scenario(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

// `rejuv sweep` over a migration scenario: one row per grid point, the same prediction the run's
// summary gives for that point, and the point's seed in its column.
TEST(MigrationSweep, OneRowPerGridPointWithTheRunsPrediction) {
  json doc = grid_doc();
  doc["seed"] = 42;
  const ScenarioKind& kind = scenario_kind(doc);
  EXPECT_STREQ(kind.name, "migration");
  kind.check(doc);
  const auto table = rows(kind.sweep_rows(doc));
  ASSERT_EQ(table.size(), 16u);
  const auto header = rows(std::string(kind.sweep_columns) + "\n").front();
  const json summary = json::parse(run_migration(doc, RunOptions{.seed = {}, .progress = false}).front().second);
  for (size_t i = 0; i < table.size(); ++i) {
    ASSERT_EQ(table[i].size(), header.size());
    EXPECT_EQ(table[i][5], "42");
    EXPECT_NEAR(std::stod(table[i][6]), summary["results"][i]["predicted_total_s"].get<double>(), 1e-6) << i;
    EXPECT_NEAR(std::stod(table[i][7]), summary["results"][i]["predicted_downtime_s"].get<double>(), 1e-6) << i;
  }
  EXPECT_EQ(table[2][3], "rc");  // the third point is rate-controlled
}

TEST(MigrationScenario, BadInputNamesThePlaceAndWhatWasExpected) {
  json d = grid_doc();
  d["grid"]["bandwidth"][1] = "fast";
  EXPECT_EQ(error_of(d),
            "/grid/bandwidth/1: expected a bandwidth limit of at least 1 MiB/s such as \"32MiB/s\", or \"rate_control\", got \"fast\"");
  // Limits libvirt cannot set (whole MiB/s, whole ms), which would also make every time absurd.
  d = grid_doc();
  d["grid"]["bandwidth"][0] = "1e-300MiB/s";
  EXPECT_EQ(error_of(d).rfind("/grid/bandwidth/0: expected a bandwidth limit of at least 1 MiB/s", 0), 0u) << error_of(d);
  d = grid_doc();
  d["grid"]["downtime_limit"][0] = "1e-320ms";
  EXPECT_EQ(error_of(d), "/grid/downtime_limit/0: expected a downtime limit of at least 1 ms, got \"1e-320ms\"");
  d = grid_doc();
  d["grid"]["memory"] = json::array();
  EXPECT_EQ(error_of(d), "/grid/memory: expected a non-empty list, got []");
  d = grid_doc();
  d["grid"]["memory"][0] = "8MiB";
  EXPECT_EQ(error_of(d), "/grid/memory/0: expected a guest memory of at least 16 MiB, got \"8MiB\"");
  d = grid_doc();
  d["repetitions"] = 0;
  EXPECT_EQ(error_of(d), "/repetitions: expected an integer in [1, 100], got 0");
  d = grid_doc();
  d["model"]["dirty_overlap"] = 1.5;
  EXPECT_EQ(error_of(d), "/model/dirty_overlap: expected a fraction in [0, 1), got 1.5");
  d = grid_doc();
  d["guest"]["colour"] = 1;
  EXPECT_EQ(error_of(d).rfind("/guest/colour: expected one of the keys fill_fraction", 0), 0u);
  d = grid_doc();
  d["guest"]["xml"] = "/nonexistent/domain.xml.in";
  try {
    run_scenario(d, RunOptions{.seed = {}, .progress = false});
    ADD_FAILURE() << "accepted a missing template";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/guest/xml: cannot open \"/nonexistent/domain.xml.in\"");
  }
}

}  // namespace
}  // namespace rejuv::sim
