# Live migrations between the rig's two hosts: measured (x, the mean of the repetitions) against the pre-copy
# model's prediction (y) with the parameters fitted on the 'fit' points; 'held out' points were not used in the fit.
# From data/realvirt/fit/compare.csv.
#
# Run from this folder: gnuplot migration-fit.gp  — reads migration-fit.dat, writes migration-fit.svg and migration-fit.png,
# both 1200x800 (PNG in pixels). `gnuplot -e "svg_out='a.svg'; png_out='a.png'" migration-fit.gp`
# writes elsewhere (rejuv plot does, to temporary names it then renames).
data = "migration-fit.dat"
if (!exists("svg_out")) svg_out = "migration-fit.svg"
if (!exists("png_out")) png_out = "migration-fit.png"

do for [format in "svg png"] {
  reset
  if (format eq "svg") {
    set terminal svg size 1200,800 fixed enhanced font "Sans,16" background rgb "white"
    set output svg_out
  } else {
    set terminal pngcairo size 1200,800 enhanced font "Sans,13" background rgb "white"
    set output png_out
  }
  set multiplot layout 1,2 title "Live migration on the two-host rig: measured vs predicted (pre-copy model, QEMU's stop rule)" noenhanced
  set grid lc rgb '#dddddd'
  set key top left
  set size ratio -1
  set logscale xy
  set xrange [1.09692:66.1245]
  set yrange [1.09692:66.1245]
  set xtics (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)
  set ytics (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)
  set xlabel "measured migration time (s)"
  set ylabel "predicted migration time (s)"
  set title "migration time"
  plot x with lines lc rgb '#999999' dt 2 title "predicted = measured", \
       data index 0 using 1:2 with points pt 7 ps 1.4 lc rgb '#0072B2' title "fit", \
       data index 1 using 1:2 with points pt 5 ps 1.4 lc rgb '#D55E00' title "held out"
  unset logscale
  set xtics auto
  set ytics auto
  set xrange [0:241.845]
  set yrange [0:241.845]
  set xlabel "measured downtime (ms)"
  set ylabel "predicted downtime (ms)"
  set title "downtime"
  plot x with lines lc rgb '#999999' dt 2 title "predicted = measured", \
       data index 0 using 3:4 with points pt 7 ps 1.4 lc rgb '#0072B2' title "fit", \
       data index 1 using 3:4 with points pt 5 ps 1.4 lc rgb '#D55E00' title "held out"
  unset multiplot
  set output
}
