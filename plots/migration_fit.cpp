// Measured against predicted live migrations (rejuv migration-fit's compare.csv).
#include <fmt/format.h>

#include <algorithm>

#include "models/input_error.hpp"
#include "plots/csv_table.hpp"
#include "plots/figures.hpp"

namespace rejuv::plots {

Plot migration_fit(const std::filesystem::path& compare_csv) {
  const CsvTable t = read_csv(compare_csv);
  const size_t cs = t.column("set"), cmt = t.column("measured_total_s"), cpt = t.column("predicted_total_s"),
               cmd = t.column("measured_downtime_ms"), cpd = t.column("predicted_downtime_ms"),
               cmem = t.column("memory_mib"), cbw = t.column("bandwidth");
  if (t.rows.empty()) throw InputError::in_file(t.file, "no rows after the header");
  Plot plot;
  plot.data = fmt::format("# Live migrations, MEASURED (mean of the repetitions) and predicted by the pre-copy model, from {}\n", t.file);
  double hi_t = 0, lo_t = 1e18, hi_d = 0;
  for (const char* set : {"fit", "held_out"}) {
    plot.data += fmt::format("# block: {}\n# measured_total_s predicted_total_s measured_downtime_ms predicted_downtime_ms memory_mib bandwidth\n", set);
    for (const auto& row : t.rows) {
      if (row.cells[cs] != set) continue;
      const double mt = t.number(row, cmt), pt = t.number(row, cpt), md = t.number(row, cmd), pd = t.number(row, cpd);
      hi_t = std::max({hi_t, mt, pt});
      lo_t = std::min({lo_t, mt, pt});
      hi_d = std::max({hi_d, md, pd});
      plot.data += fmt::format("{:.4f} {:.4f} {:.2f} {:.2f} {} {}\n", mt, pt, md, pd, row.cells[cmem], row.cells[cbw]);
    }
    plot.data += "\n\n";
  }
  plot.about = fmt::format(
      "Live migrations between the rig's two hosts: measured (x, the mean of the repetitions) against the pre-copy\n"
      "model's prediction (y) with the parameters fitted on the 'fit' points; 'held out' points were not used in the fit.\n"
      "From {}.", t.file);
  std::string b = "set multiplot layout 1,2 title " +
                  quote("Live migration on the two-host rig: measured vs predicted (pre-copy model, QEMU's stop rule)") + " noenhanced\n";
  b += "set grid lc rgb '#dddddd'\nset key top left\nset size ratio -1\n";
  b += fmt::format("set logscale xy\nset xrange [{0:g}:{1:g}]\nset yrange [{0:g}:{1:g}]\n", lo_t / 1.3, hi_t * 1.3);
  b += "set xtics (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)\nset ytics (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)\n";
  b += "set xlabel \"measured migration time (s)\"\nset ylabel \"predicted migration time (s)\"\nset title \"migration time\"\n";
  b += "plot x with lines lc rgb '#999999' dt 2 title \"predicted = measured\", \\\n"
       "     data index 0 using 1:2 with points pt 7 ps 1.4 lc rgb '#0072B2' title \"fit\", \\\n"
       "     data index 1 using 1:2 with points pt 5 ps 1.4 lc rgb '#D55E00' title \"held out\"\n";
  b += fmt::format("unset logscale\nset xtics auto\nset ytics auto\nset xrange [0:{0:g}]\nset yrange [0:{0:g}]\n", hi_d * 1.15);
  b += "set xlabel \"measured downtime (ms)\"\nset ylabel \"predicted downtime (ms)\"\nset title \"downtime\"\n";
  b += "plot x with lines lc rgb '#999999' dt 2 title \"predicted = measured\", \\\n"
       "     data index 0 using 3:4 with points pt 7 ps 1.4 lc rgb '#0072B2' title \"fit\", \\\n"
       "     data index 1 using 3:4 with points pt 5 ps 1.4 lc rgb '#D55E00' title \"held out\"\n";
  b += "unset multiplot\n";
  plot.body = b;
  return plot;
}

}  // namespace rejuv::plots
