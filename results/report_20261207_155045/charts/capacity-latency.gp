# capacity-latency.gp: latency against offered rate
# Written by filestorm-report from orchestrator_results_20261207_155045.json; the numbers are in capacity-latency.dat.
# Run 'gnuplot capacity-latency.gp' in this directory to draw capacity-latency.svg and capacity-latency.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "capacity_latency" size 1240,480 dynamic enhanced font "sans,12" background "white"
  set output "capacity-latency.svg"
} else {
  set terminal pngcairo size 1240,480 enhanced font "sans,11" background "white"
  set output "capacity-latency.png"
}
set multiplot layout 1,2 title 'Corrected latency against offered rate'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; objective p99 ≤ 50 ms; every step of every run' font ",13"
set logscale xy
set grid lc rgb '#dddddd'
set xlabel 'offered operations/s (log scale)'
set ylabel 'latency, ms (log scale)'
set key top left font ",9" spacing 1
set border 3
set tics nomirror
set title 'download 10 MiB, 5 clients'
unset arrow
set arrow from 113.137, graph 0 to 113.137, graph 1 nohead dt 3 lw 1.5 lc rgb '#0072b2'
set arrow from 174.481, graph 0 to 174.481, graph 1 nohead dt 3 lw 1.5 lc rgb '#e69f00'
set arrow from 95.1366, graph 0 to 95.1366, graph 1 nohead dt 4 lw 1.5 lc rgb '#0072b2'
set arrow from 190.273, graph 0 to 190.273, graph 1 nohead dt 4 lw 1.5 lc rgb '#e69f00'
plot 'capacity-latency.dat' index 0 using 1:3 with lines lw 2 dt 1 lc rgb '#0072b2' title 'thread, server pool 1: p99', '' index 0 using 1:2 with lines lw 1 dt 1 lc rgb '#0072b2' notitle, '' index 1 using 1:2 with points pt 7 ps 0.5 lc rgb '#0072b2' notitle, 'capacity-latency.dat' index 2 using 1:3 with lines lw 2 dt 1 lc rgb '#e69f00' title 'thread, server pool 5: p99', '' index 2 using 1:2 with lines lw 1 dt 1 lc rgb '#e69f00' notitle, '' index 3 using 1:2 with points pt 7 ps 0.5 lc rgb '#e69f00' notitle, 'capacity-latency.dat' index 4 using 1:3 with lines lw 2 dt 2 lc rgb '#0072b2' title 'process, server pool 1: p99', '' index 4 using 1:2 with lines lw 1 dt 2 lc rgb '#0072b2' notitle, '' index 5 using 1:2 with points pt 9 ps 0.5 lc rgb '#0072b2' notitle, 'capacity-latency.dat' index 6 using 1:3 with lines lw 2 dt 2 lc rgb '#e69f00' title 'process, server pool 5: p99', '' index 6 using 1:2 with lines lw 1 dt 2 lc rgb '#e69f00' notitle, '' index 7 using 1:2 with points pt 9 ps 0.5 lc rgb '#e69f00' notitle, 50 with lines lw 2 lc rgb '#d62728' title 'objective: p99'
set title 'list, 5 clients'
unset arrow
set arrow from 8610.78, graph 0 to 8610.78, graph 1 nohead dt 3 lw 1.5 lc rgb '#0072b2'
set arrow from 44667.2, graph 0 to 44667.2, graph 1 nohead dt 3 lw 1.5 lc rgb '#e69f00'
set arrow from 7240.77, graph 0 to 7240.77, graph 1 nohead dt 4 lw 1.5 lc rgb '#0072b2'
set arrow from 40960, graph 0 to 40960, graph 1 nohead dt 4 lw 1.5 lc rgb '#e69f00'
plot 'capacity-latency.dat' index 8 using 1:3 with lines lw 2 dt 1 lc rgb '#0072b2' title 'thread, server pool 1: p99', '' index 8 using 1:2 with lines lw 1 dt 1 lc rgb '#0072b2' notitle, '' index 9 using 1:2 with points pt 7 ps 0.5 lc rgb '#0072b2' notitle, 'capacity-latency.dat' index 10 using 1:3 with lines lw 2 dt 1 lc rgb '#e69f00' title 'thread, server pool 5: p99', '' index 10 using 1:2 with lines lw 1 dt 1 lc rgb '#e69f00' notitle, '' index 11 using 1:2 with points pt 7 ps 0.5 lc rgb '#e69f00' notitle, 'capacity-latency.dat' index 12 using 1:3 with lines lw 2 dt 2 lc rgb '#0072b2' title 'process, server pool 1: p99', '' index 12 using 1:2 with lines lw 1 dt 2 lc rgb '#0072b2' notitle, '' index 13 using 1:2 with points pt 9 ps 0.5 lc rgb '#0072b2' notitle, 'capacity-latency.dat' index 14 using 1:3 with lines lw 2 dt 2 lc rgb '#e69f00' title 'process, server pool 5: p99', '' index 14 using 1:2 with lines lw 1 dt 2 lc rgb '#e69f00' notitle, '' index 15 using 1:2 with points pt 9 ps 0.5 lc rgb '#e69f00' notitle, 50 with lines lw 2 lc rgb '#d62728' title 'objective: p99'
unset multiplot
set output
}
