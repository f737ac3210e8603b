# latency-p50.gp: Median (p50) latency of one operation against client pool
# Written by filestorm-report from orchestrator_results_20261207_192747.json; the numbers are in latency-p50.dat.
# Run 'gnuplot latency-p50.gp' in this directory to draw latency-p50.svg and latency-p50.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "latency_p50" size 1320,494 dynamic enhanced font "sans,12" background "white"
  set output "latency-p50.svg"
} else {
  set terminal pngcairo size 1320,494 enhanced font "sans,11" background "white"
  set output "latency-p50.png"
}
set multiplot title 'Median (p50) latency of one operation against client pool'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; 3 runs per scenario; bars: min to max over the runs' font ",14"
unset key
set logscale x
set xrange [3.33333:7.5]
set xtics (5)
set xlabel 'client pool (log scale)'
set grid ytics lc rgb '#dddddd'
set border 3
set tics nomirror
set bars small
set style line 1 lc rgb '#0072b2' lw 2 pt 7 ps 0.9 dt 1
set style line 2 lc rgb '#e69f00' lw 2 pt 7 ps 0.9 dt 1
set style line 3 lc rgb '#0072b2' lw 2 pt 9 ps 0.9 dt 2
set style line 4 lc rgb '#e69f00' lw 2 pt 9 ps 0.9 dt 2
set style line 5 lc rgb '#0072b2' lw 2 pt 5 ps 0.9 dt 4
set style line 6 lc rgb '#e69f00' lw 2 pt 5 ps 0.9 dt 4
set origin 0.0303,0.0202
set size 0.9394,0.6680
set title 'list (volume axis 10 MiB)'
set ylabel 'ms'
set yrange [0:7567.56]
plot 'latency-p50.dat' index 0 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, 0 idle, server pool 5', 'latency-p50.dat' index 1 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, 50 idle, server pool 5', 'latency-p50.dat' index 2 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'process, 0 idle, server pool 5', 'latency-p50.dat' index 3 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, 50 idle, server pool 5', 'latency-p50.dat' index 4 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'event, 0 idle, server pool 5', 'latency-p50.dat' index 5 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'event, 50 idle, server pool 5'
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
set key at screen 0.5,0.8745 center top vertical maxrows 3 samplen 4 spacing 1.2 width 2 box lc rgb '#aaaaaa'
plot NaN with linespoints ls 1 title 'thread, 0 idle, server pool 5', NaN with linespoints ls 3 title 'process, 0 idle, server pool 5', NaN with linespoints ls 5 title 'event, 0 idle, server pool 5', NaN with linespoints ls 2 title 'thread, 50 idle, server pool 5', NaN with linespoints ls 4 title 'process, 50 idle, server pool 5', NaN with linespoints ls 6 title 'event, 50 idle, server pool 5'
unset multiplot
set output
}
