# Seed 003 figure 7: performance index P/(m p) against the number of hosts m, from data/kourai2007.json.
# y range: at large m the five indices lie within 1e-3 of each other (warm 0.99966, cold
# 0.99956, migration 0.99965, live 0.99965, live with rate control 0.99960), so the upper panel
# shows 0.997 to 1.000 as the paper's figure does. Below a few hundred hosts the migration
# strategies fall off it towards (m - s)/m (one host of m is the spare): the lower panel
# shows that on 0.5 to 1.0. Dashed lines mark where each migration strategy overtakes cold
# (rejuv::crossover); migration and live differ by about 5e-7 and draw as one line.
# Crossovers with cold: live > cold from m = 11190; migration > cold from m = 11249; live rate control > cold from m = 25332.
#
# Run from this folder: gnuplot fig7.gp  — reads fig7.dat, writes fig7.svg and fig7.png,
# both 1200x800 (PNG in pixels). `gnuplot -e "svg_out='a.svg'; png_out='a.png'" fig7.gp`
# writes elsewhere (rejuv plot does, to temporary names it then renames).
data = "fig7.dat"
if (!exists("svg_out")) svg_out = "fig7.svg"
if (!exists("png_out")) png_out = "fig7.png"

do for [format in "svg png"] {
  reset
  if (format eq "svg") {
    set terminal svg size 1200,800 fixed enhanced font "Sans,16" background rgb "white"
    set output svg_out
  } else {
    set terminal pngcairo size 1200,800 enhanced font "Sans,13" background rgb "white"
    set output png_out
  }
  set multiplot title "Performance index against cluster size (seed 003, figure 7)  —  n = 11 VMs/host, T_{vmm} = 28 d, T_{os} = 7 d"
  set logscale x 10
  set xrange [1:1e6]
  set format x "10^{%T}"
  set grid xtics mxtics ytics lc rgb '#dddddd'
  set mxtics 10
  set lmargin at screen 0.10
  set rmargin at screen 0.97
  set tmargin at screen 0.91
  set bmargin at screen 0.38
  set yrange [0.997:1.0]
  set ytics 0.0005 format "%.4f"
  set ylabel "performance index P/(m p)"
  set format x ""
  unset xlabel
  set key at graph 0.02,graph 0.84 left top opaque box width 1 spacing 1.2
  set arrow from 11190,graph 0 to 11190,graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'
  set label "live: m = 11190" at 11190,graph 0.03 rotate by 90 left offset -1.2,0 font ",11" textcolor rgb '#333333'
  set arrow from 11249,graph 0 to 11249,graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'
  set label "migration: m = 11249" at 11249,graph 0.03 rotate by 90 left offset 1.1,0 font ",11" textcolor rgb '#333333'
  set arrow from 25332,graph 0 to 25332,graph 1 nohead dt 2 lw 1.5 lc rgb '#555555'
  set label "live rate control: m = 25332" at 25332,graph 0.03 rotate by 90 left offset 1.1,0 font ",11" textcolor rgb '#333333'
  set label "crossovers with cold (dashed):\nlive > cold from m = 11190\nmigration > cold from m = 11249\nlive rate control > cold from m = 25332" at graph 0.02,graph 0.30 left font ",12"
  plot  data using 1:2 with lines lw 3 lc rgb '#0072B2' title "warm VM reboot", \
       data using 1:3 with lines lw 3 lc rgb '#D55E00' title "cold VM reboot", \
       data using 1:4 with lines lw 5 lc rgb '#009E73' title "VM migration", \
       data using 1:5 with lines lw 2.5 dt (12,8) lc rgb '#000000' title "live migration", \
       data using 1:6 with lines lw 3 dt (4,4) lc rgb '#CC79A7' title "live migration, rate control"
  unset arrow
  unset label
  unset key
  set tmargin at screen 0.33
  set bmargin at screen 0.09
  set yrange [0.5:1.0]
  set ytics 0.1 format "%.1f"
  set ylabel "index"
  set format x "10^{%T}"
  set xlabel "number of hosts m (log scale)"
  set label "whole range: migration strategies serve m - 1 of m hosts" at graph 0.98,graph 0.12 right font ",12"
  plot  data using 1:2 with lines lw 3 lc rgb '#0072B2' notitle, \
       data using 1:3 with lines lw 3 lc rgb '#D55E00' notitle, \
       data using 1:4 with lines lw 5 lc rgb '#009E73' notitle, \
       data using 1:5 with lines lw 2.5 dt (12,8) lc rgb '#000000' notitle, \
       data using 1:6 with lines lw 3 dt (4,4) lc rgb '#CC79A7' notitle
  unset multiplot
  set output
}
