# time-per-client.gp: Time per client against client pool
# Written by filestorm-report from orchestrator_results_20261207_122726.json; the numbers are in time-per-client.dat.
# Run 'gnuplot time-per-client.gp' in this directory to draw time-per-client.svg and time-per-client.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "time_per_client" size 1370,1135 dynamic enhanced font "sans,12" background "white"
  set output "time-per-client.svg"
} else {
  set terminal pngcairo size 1370,1135 enhanced font "sans,11" background "white"
  set output "time-per-client.png"
}
set multiplot title 'Time per client against client pool'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; 3 runs per scenario; bars: min to max over the runs' font ",14"
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
set ylabel 's'
set yrange [0:1.34027]
plot 'time-per-client.dat' index 0 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 1 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 2 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 3 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 4 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 5 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.5903
set size 0.3139,0.2907
set title 'upload, 50 MiB'
set ylabel 's'
set yrange [0:4.37405]
plot 'time-per-client.dat' index 6 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 7 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 8 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 9 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 10 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 11 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.5903
set size 0.3139,0.2907
set title 'upload, 100 MiB'
set ylabel 's'
set yrange [0:9.71311]
plot 'time-per-client.dat' index 12 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 13 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 14 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 15 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 16 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 17 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.2996
set size 0.3139,0.2907
set title 'download, 10 MiB'
set ylabel 's'
set yrange [0:0.367992]
plot 'time-per-client.dat' index 18 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 19 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 20 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 21 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 22 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 23 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.2996
set size 0.3139,0.2907
set title 'download, 50 MiB'
set ylabel 's'
set yrange [0:1.69966]
plot 'time-per-client.dat' index 24 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 25 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 26 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 27 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 28 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 29 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.2996
set size 0.3139,0.2907
set title 'download, 100 MiB'
set ylabel 's'
set yrange [0:2.78534]
plot 'time-per-client.dat' index 30 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 31 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 32 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 33 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 34 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 35 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.0292,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 10 MiB)'
set ylabel 'ms'
set yrange [0:8.38631]
plot 'time-per-client.dat' index 36 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 37 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 38 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 39 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 40 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 41 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.3431,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 50 MiB)'
set ylabel 'ms'
set yrange [0:8.60498]
plot 'time-per-client.dat' index 42 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 43 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 44 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 45 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 46 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 47 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
set origin 0.6569,0.0088
set size 0.3139,0.2907
set title 'list (volume axis 100 MiB)'
set ylabel 'ms'
set yrange [0:7.8241]
plot 'time-per-client.dat' index 48 using ($1*0.893597):2:3:4 with yerrorlines ls 1 title 'thread, server pool 1', 'time-per-client.dat' index 49 using ($1*0.934728):2:3:4 with yerrorlines ls 2 title 'thread, server pool 5', 'time-per-client.dat' index 50 using ($1*0.977751):2:3:4 with yerrorlines ls 3 title 'thread, server pool 50', 'time-per-client.dat' index 51 using ($1*1.02276):2:3:4 with yerrorlines ls 4 title 'process, server pool 1', 'time-per-client.dat' index 52 using ($1*1.06983):2:3:4 with yerrorlines ls 5 title 'process, server pool 5', 'time-per-client.dat' index 53 using ($1*1.11907):2:3:4 with yerrorlines ls 6 title 'process, server pool 50'
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
