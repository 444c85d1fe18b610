# funding-mix.gp -- generates the figure images/funding-mix.png used in
# manuscript/15-measuring-value.md ("Illustrative funding mix of a
# medium-sized charity, 2007–2011").
# The figures are ILLUSTRATIVE, not real data.
#
# Drawn for a black-and-white interior: the four series differ in grey
# level and pattern (contracts, the band the essay discusses, is hatched),
# every band carries its figure, and the series are named beside the last
# bar rather than in a key that only colour could match. 1320 x 770 pixels:
# 330 ppi at the text width of the Demy octavo page (4 in).
#
# Regenerate with (Debian: gnuplot-nox for pngcairo, optipng):
#   cd manuscript/images && gnuplot funding-mix.gp && optipng -quiet -np funding-mix.png
# optipng keeps the picture and stores it as an 8-bit grey PNG (every
# pixel is grey), which the print PDF takes as it is.

set encoding utf8
set terminal pngcairo size 1320,770 enhanced font "DejaVu Sans,17" background rgb "white"
set output "funding-mix.png"

set tmargin at screen 0.84
set bmargin at screen 0.10
set lmargin at screen 0.09
set rmargin at screen 0.74
set label 1 "Funding mix of a medium-sized charity, 2007–2011" at screen 0.5,0.95 center font "DejaVu Sans Bold,24" textcolor rgb "#202020"
set label 2 "Share of income by source. Illustrative figures, not real data." at screen 0.5,0.895 center font "DejaVu Sans,16" textcolor rgb "#505050"
set ylabel "Share of total income (%)" textcolor rgb "#202020"
set yrange [0:100]
set xrange [-0.6:4.6]
set ytics 0,20,100 textcolor rgb "#202020"
set xtics nomirror textcolor rgb "#202020"
set ytics nomirror
set border 3 linecolor rgb "#404040"
set grid ytics linecolor rgb "#d8d8d8" linetype 1
unset key
set style data histograms
set style histogram rowstacked
set boxwidth 0.6
set style textbox opaque noborder margins 2,1 fillcolor rgb "white"

# year, grants, contracts, donations, trading (per cent of income)
$data << EOD
2007 48 22 20 10
2008 44 27 19 10
2009 38 33 19 10
2010 31 40 18 11
2011 24 45 19 12
EOD

# Each band's figure at its middle; the series' names beside 2011's bar.
plot $data using 2:xtic(1) fillstyle solid 1.0 border rgb "white" linecolor rgb "#3a3a3a", \
     ''    using 3 fillstyle pattern 2 border rgb "#202020" linecolor rgb "#202020", \
     ''    using 4 fillstyle solid 1.0 border rgb "white" linecolor rgb "#9a9a9a", \
     ''    using 5 fillstyle solid 1.0 border rgb "white" linecolor rgb "#dedede", \
     ''    using ($0):($2/2):(sprintf("%d%%", $2)) with labels textcolor rgb "white" font "DejaVu Sans Bold,17", \
     ''    using ($0):($2+$3/2):(sprintf("%d%%", $3)) with labels boxed textcolor rgb "black" font "DejaVu Sans Bold,17", \
     ''    using ($0):($2+$3+$4/2):(sprintf("%d%%", $4)) with labels textcolor rgb "black" font "DejaVu Sans Bold,17", \
     ''    using ($0):($2+$3+$4+$5/2):(sprintf("%d%%", $5)) with labels textcolor rgb "black" font "DejaVu Sans,16", \
     ''    every ::4::4 using (4.38):($2/2):("Grants") with labels left textcolor rgb "#202020", \
     ''    every ::4::4 using (4.38):($2+$3/2):("Contracts (hatched)") with labels left textcolor rgb "#202020", \
     ''    every ::4::4 using (4.38):($2+$3+$4/2):("Donations") with labels left textcolor rgb "#202020", \
     ''    every ::4::4 using (4.38):($2+$3+$4+$5/2):("Trading and other") with labels left textcolor rgb "#202020"
