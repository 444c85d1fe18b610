# funding-mix.gp -- generates the figure images/funding-mix.png used in
# manuscript/15-measuring-value.md ("Illustrative funding mix of a
# medium-sized charity, 2007–2011").
# The figures are ILLUSTRATIVE, not real data.
# Regenerate with:  cd manuscript/images && gnuplot funding-mix.gp
# (requires gnuplot with the pngcairo terminal, e.g. Debian's gnuplot-nox)

set encoding utf8
set terminal pngcairo size 1200,700 enhanced font "DejaVu Sans,16" background rgb "white"
set output "funding-mix.png"

set tmargin at screen 0.84
set bmargin at screen 0.10
set lmargin at screen 0.09
set rmargin at screen 0.74
set label 1 "Funding mix of a medium-sized charity, 2007–2011" at screen 0.5,0.95 center font "DejaVu Sans Bold,22" textcolor rgb "#333333"
set label 2 "Share of income by source. Illustrative figures, not real data." at screen 0.5,0.895 center font "DejaVu Sans,15" textcolor rgb "#666666"
set ylabel "Share of total income (%)" textcolor rgb "#333333"
set yrange [0:100]
set xrange [-0.6:4.6]
set ytics 0,20,100 textcolor rgb "#333333"
set xtics nomirror textcolor rgb "#333333"
set ytics nomirror
set border 3 linecolor rgb "#666666"
set grid ytics linecolor rgb "#dddddd" linetype 1
set key outside right center vertical reverse Left samplen 1.5 spacing 1.4 textcolor rgb "#333333"
set style data histograms
set style histogram rowstacked
set style fill solid 1.0 border rgb "white"
set boxwidth 0.6

# year, grants, contracts, donations, trading (per cent of income)
$data << EOD
2007 48 22 20 10
2008 44 27 19 10
2009 38 33 19 10
2010 31 40 18 11
2011 24 45 19 12
EOD

plot $data using 2:xtic(1) title "Grants"            linecolor rgb "#4d4d4d", \
     ''    using 3         title "Contracts"         linecolor rgb "#d95f02", \
     ''    using 4         title "Donations"         linecolor rgb "#8c8c8c", \
     ''    using 5         title "Trading and other" linecolor rgb "#c8c8c8"
