#include "sim/migration/migration_model.hpp"

#include <algorithm>

namespace rejuv::sim {

PrecopyConfig precopy_config(const MigrationPoint& p, const MigrationModel& m) {
  PrecopyConfig c;
  c.stop_rule = PrecopyStopRule::qemu;
  c.memory_bytes = std::min(p.fill_bytes + m.base_bytes, p.memory_bytes);
  c.working_set_bytes = std::min(p.fill_bytes, c.memory_bytes);
  c.dirty_rate_Bps = c.working_set_bytes > 0 ? p.dirty_rate_Bps : 0;
  c.dirty_overlap = m.dirty_overlap;
  c.rate_control = p.rate_control;  // the defaults: 100 → 500 Mbit/s, + 50 Mbit/s
  if (!p.rate_control) c.max_bandwidth_bps = 8 * p.bandwidth_Bps;
  c.downtime_limit_s = p.downtime_limit_s;
  c.link_rate_bps = m.link_rate_bps;
  c.resume_s = m.resume_s;
  return c;
}

}  // namespace rejuv::sim
