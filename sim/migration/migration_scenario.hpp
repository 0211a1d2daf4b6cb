#pragma once
// The "migration" scenario kind: a grid of live migrations of one dirtying guest between two hosts
// (memory × dirty rate × bandwidth limit × downtime limit × repetitions), run through the backend.
// On the default simulated backend each migration takes what the pre-copy model (QEMU's stop rule,
// sim/migration/migration_model.hpp) predicts; on a real one (`rejuv validate`, the two-host rig of
// tests/realvirt/) it takes what it takes, and the hypervisor's job statistics are recorded beside
// the prediction.
//
//   {"kind": "migration",
//    "grid": {"memory": ["128MiB", "1GiB"], "dirty_rate": ["0MiB/s", "16MiB/s"],
//             "bandwidth": ["32MiB/s", "rate_control"], "downtime_limit": ["100ms", "300ms"]},
//    "repetitions": 3,
//    "guest": {"fill_fraction": 0.5, "fill_less": "32MiB", "boot": "30s", "xml": "/abs/domain.xml.in",
//              "console_dir": "/abs/console"},
//    "model": {"link_rate": "1Gbit/s", "resume": "0.2s", "dirty_overlap": 0, "base": "64MiB"}}
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/migration/migration_model.hpp"

namespace rejuv::sim {

struct MigrationScenario {
  std::vector<double> memory_bytes;
  std::vector<double> dirty_rate_Bps;
  std::vector<double> bandwidth_Bps;  // 0 stands for "rate_control"
  std::vector<Seconds> downtime_limit_s;
  int repetitions = 1;
  // The guest fills fill_fraction × memory − fill_less (at least 0) and dirties pages in it.
  double fill_fraction = 0.5;
  double fill_less_bytes = 32 * 1048576.0;
  // Planned time from start to a filled guest: the migrations of a guest start this long after
  // it was started (under `rejuv validate` at time scale 1, a real wait).
  Seconds boot_s = 30;
  Seconds gap_s = 1;  // between two migrations of the same guest
  // For real backends: the domain XML template (tests/realvirt/up writes it) with @NAME@,
  // @MEMORY_MIB@, @FILL_MIB@, @RATE_MIB@, @CONSOLE@, and the folder of the console logs.
  std::string xml_template;
  std::string console_dir;
  MigrationModel model;

  double fill_bytes(double memory) const;
  // Grid points in order: memory, then dirty rate, then bandwidth, then downtime limit.
  std::vector<MigrationPoint> points() const;
};

// Throws InputError with the JSON path.
MigrationScenario parse_migration_scenario(const nlohmann::json& doc);

}  // namespace rejuv::sim
