# Shared by the benchmarks: `source "$(dirname "$0")/lib.sh"`.
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }  # of stdin's lines
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b - a) / 1e6}'; }  # T0 in ns
