# capacity.gp: capacity per scenario
# Written by filestorm-report from orchestrator_results_20261207_155045.json; the numbers are in capacity.dat.
# Run 'gnuplot capacity.gp' in this directory to draw capacity.svg and capacity.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "capacity" size 900,640 dynamic enhanced font "sans,12" background "white"
  set output "capacity.svg"
} else {
  set terminal pngcairo size 900,640 enhanced font "sans,11" background "white"
  set output "capacity.png"
}
set title 'Capacity per scenario'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; objective p99 ≤ 50 ms; whiskers: min to max over the runs' font ",13"
set style fill solid 0.8 border -1
set boxwidth 0.7
set xrange [0.3:8.7]
set yrange [0:*]
set xtics rotate by -50 font ",9" nomirror
set ylabel 'operations/s under the objective'
set key outside right top
set grid ytics lc rgb '#dddddd'
set bmargin 12
plot 'capacity.dat' index 0 using 1:3:4:5:(0.35):xtic(2) with boxerrorbars lc rgb '#0072b2' title 'thread', '' index 1 using 1:3:4:5:(0.35):xtic(2) with boxerrorbars lc rgb '#e69f00' title 'process'
set output
}
