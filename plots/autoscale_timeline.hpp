#pragma once
// The timeline of an autoscale run (`rejuv run` on a "kind": "autoscale" scenario): what
// plots::timeline draws when timeline.csv has the columns time_s,strategy,metric,subject,value.
#include "plots/csv_table.hpp"
#include "plots/plot.hpp"

namespace rejuv::plots {

Plot autoscale_timeline(const CsvTable& table);

}  // namespace rejuv::plots
