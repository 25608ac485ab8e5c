# Sourced by bench/compare.sh and bench/rss.sh.
# ensure_payload GEN FILE SHAPE SIZE SEED: generates FILE with promtool-gen (and FILE.stats)
# unless it exists, so a payload is generated once and reused.
ensure_payload() {
  local gen=$1 file=$2 shape=$3 size=$4 seed=$5
  [[ -s $file ]] && return 0
  echo "generating $file" >&2
  "$gen" --bytes "$size" --shape "$shape" --seed "$seed" --stats >"$file.tmp" 2>"$file.stats"
  mv "$file.tmp" "$file"
}
