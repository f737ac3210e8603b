# failures.gp: failures per scenario by kind
# Written by filestorm-report from orchestrator_results_20261207_192747.json; the numbers are in failures.dat.
# Run 'gnuplot failures.gp' in this directory to draw failures.svg and failures.png again.
set encoding utf8
do for [format in "svg png"] {
reset
if (format eq "svg") {
  set terminal svg name "failures" size 900,640 dynamic enhanced font "sans,12" background "white"
  set output "failures.svg"
} else {
  set terminal pngcairo size 900,640 enhanced font "sans,11" background "white"
  set output "failures.png"
}
set title 'Failures per scenario, by kind'."\n".'AMD EPYC, 2 cores, 23.5 GiB RAM; summed over 3 runs per scenario; ''run'': runs that failed without a failed operation' font ",13"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -50 font ",9" nomirror
set yrange [0:*]
set ylabel 'failed operations (runs for "run")'
set key outside right top
set grid ytics lc rgb '#dddddd'
set bmargin 12
plot 'failures.dat' using 2:xtic(1) lc rgb '#cc79a7' title 'timeout'
set output
}
