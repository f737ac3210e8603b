# throughput.gp: Aggregate throughput against client pool
# Written by filestorm-report from orchestrator_results_20261207_122726.json; the numbers are in throughput.dat.
# Run 'gnuplot throughput.gp' in this directory to draw throughput.svg and throughput.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "throughput" size 1370,1135 dynamic enhanced font "sans,12" background "white"
  set output "throughput.svg"
} else {
  set terminal pngcairo size 1370,1135 enhanced font "sans,11" background "white"
  set output "throughput.png"
}
set multiplot title 'Aggregate throughput against client pool'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; 3 runs per scenario; bars: min to max over the runs' font ",14"
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
set ylabel 'MiB/s'
set yrange [0:984.404]
plot 'throughput.dat' index 0 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 1 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 2 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 3 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 4 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 5 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.5903
set size 0.3139,0.2907
set title 'upload, 50 MiB'
set ylabel 'MiB/s'
set yrange [0:853.263]
plot 'throughput.dat' index 6 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 7 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 8 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 9 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 10 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 11 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.5903
set size 0.3139,0.2907
set title 'upload, 100 MiB'
set ylabel 'MiB/s'
set yrange [0:997.862]
plot 'throughput.dat' index 12 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 13 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 14 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 15 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 16 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 17 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.2996
set size 0.3139,0.2907
set title 'download, 10 MiB'
set ylabel 'MiB/s'
set yrange [0:2630.35]
plot 'throughput.dat' index 18 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 19 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 20 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 21 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 22 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 23 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.2996
set size 0.3139,0.2907
set title 'download, 50 MiB'
set ylabel 'MiB/s'
set yrange [0:2906.51]
plot 'throughput.dat' index 24 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 25 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 26 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 27 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 28 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 29 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.2996
set size 0.3139,0.2907
set title 'download, 100 MiB'
set ylabel 'MiB/s'
set yrange [0:2975.05]
plot 'throughput.dat' index 30 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 31 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 32 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 33 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 34 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 35 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 10 MiB)'
set ylabel 'operations/s'
set yrange [0:15403.5]
plot 'throughput.dat' index 36 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 37 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 38 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 39 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 40 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 41 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 50 MiB)'
set ylabel 'operations/s'
set yrange [0:18293]
plot 'throughput.dat' index 42 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 43 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 44 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 45 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 46 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 47 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 100 MiB)'
set ylabel 'operations/s'
set yrange [0:20057.1]
plot 'throughput.dat' index 48 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'throughput.dat' index 49 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'throughput.dat' index 50 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'throughput.dat' index 51 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'throughput.dat' index 52 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'throughput.dat' index 53 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
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
