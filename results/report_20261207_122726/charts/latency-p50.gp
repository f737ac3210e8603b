# latency-p50.gp: Median (p50) latency of one operation against client pool
# Written by filestorm-report from orchestrator_results_20261207_122726.json; the numbers are in latency-p50.dat.
# Run 'gnuplot latency-p50.gp' in this directory to draw latency-p50.svg and latency-p50.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "latency_p50" size 1370,1135 dynamic enhanced font "sans,12" background "white"
  set output "latency-p50.svg"
} else {
  set terminal pngcairo size 1370,1135 enhanced font "sans,11" background "white"
  set output "latency-p50.png"
}
set multiplot title 'Median (p50) latency of one operation against client pool'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; 3 runs per scenario; bars: min to max over the runs' font ",14"
unset key
set logscale x
set xrange [0.666667:75]
set xtics (1, 5, 50)
set xlabel 'client pool (log scale)'
set grid ytics lc rgb '#dddddd'
set border 3
set tics nomirror
set bars small
set style line 1 lc rgb '#0072b2' lw 2 pt 7 ps 0.9 dt 1
set style line 2 lc rgb '#e69f00' lw 2 pt 7 ps 0.9 dt 1
set style line 3 lc rgb '#009e73' lw 2 pt 7 ps 0.9 dt 1
set style line 4 lc rgb '#0072b2' lw 2 pt 9 ps 0.9 dt 2
set style line 5 lc rgb '#e69f00' lw 2 pt 9 ps 0.9 dt 2
set style line 6 lc rgb '#009e73' lw 2 pt 9 ps 0.9 dt 2
set origin 0.0292,0.5903
set size 0.3139,0.2907
set title 'upload, 10 MiB'
set ylabel 'ms'
set yrange [0:1455.39]
plot 'latency-p50.dat' index 0 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 1 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 2 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 3 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 4 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 5 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.5903
set size 0.3139,0.2907
set title 'upload, 50 MiB'
set ylabel 'ms'
set yrange [0:4689.1]
plot 'latency-p50.dat' index 6 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 7 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 8 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 9 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 10 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 11 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.5903
set size 0.3139,0.2907
set title 'upload, 100 MiB'
set ylabel 'ms'
set yrange [0:10086]
plot 'latency-p50.dat' index 12 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 13 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 14 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 15 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 16 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 17 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.2996
set size 0.3139,0.2907
set title 'download, 10 MiB'
set ylabel 'ms'
set yrange [0:350.577]
plot 'latency-p50.dat' index 18 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 19 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 20 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 21 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 22 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 23 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.2996
set size 0.3139,0.2907
set title 'download, 50 MiB'
set ylabel 'ms'
set yrange [0:1924.3]
plot 'latency-p50.dat' index 24 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 25 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 26 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 27 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 28 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 29 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.2996
set size 0.3139,0.2907
set title 'download, 100 MiB'
set ylabel 'ms'
set yrange [0:3105.42]
plot 'latency-p50.dat' index 30 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 31 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 32 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 33 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 34 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 35 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 10 MiB)'
set ylabel 'ms'
set yrange [0:7.65504]
plot 'latency-p50.dat' index 36 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 37 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 38 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 39 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 40 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 41 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 50 MiB)'
set ylabel 'ms'
set yrange [0:7.75872]
plot 'latency-p50.dat' index 42 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 43 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 44 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 45 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 46 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 47 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 100 MiB)'
set ylabel 'ms'
set yrange [0:7.65504]
plot 'latency-p50.dat' index 48 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'latency-p50.dat' index 49 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'latency-p50.dat' index 50 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'latency-p50.dat' index 51 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'latency-p50.dat' index 52 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'latency-p50.dat' index 53 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0,0
set size 1,1
unset title
unset xlabel
unset ylabel
unset border
unset tics
unset grid
unset logscale x
set xrange [0:1]
set yrange [0:1]
set key at screen 0.5,0.9454 center top vertical maxrows 2 samplen 4 spacing 1.2 width 2 box lc rgb '#aaaaaa'
plot NaN with linespoints ls 1 title 'thread, server pool 1', NaN with linespoints ls 4 title 'process, server pool 1', NaN with linespoints ls 2 title 'thread, server pool 5', NaN with linespoints ls 5 title 'process, server pool 5', NaN with linespoints ls 3 title 'thread, server pool 50', NaN with linespoints ls 6 title 'process, server pool 50'
unset multiplot
set output
}
