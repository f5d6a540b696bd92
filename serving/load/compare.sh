#!/usr/bin/env bash
# Two builds side by side on the same machine, one after the other: the library's blend bench, known users from a
# cold start, new users (20 and 500 ratings), for the blend and for its item member served alone.
#
#   serving/load/compare.sh BEFORE_ROOT BEFORE_ARTIFACTS AFTER_ROOT AFTER_ARTIFACTS OUT_DIR
#
# A ROOT is a checkout with Release builds of serving/AutoRec.Serving and bench/AutoRec.Benchmarks and this
# folder's scripts; an ARTIFACTS folder holds ml-1m/ (a blend: model/blend.json, members/, data/) and item-only/
# (model/ a link to ml-1m/members/item/model, data/ a link to ml-1m/data). Reports go to OUT_DIR/NAME-*.{txt,md}.
set -euo pipefail
[ $# -eq 5 ] || { sed -n '2,9p' "$0"; exit 2; }
out="$5"
mkdir -p "$out"
bench=bench/AutoRec.Benchmarks/bin/Release/net10.0/linux-x64/autorec-bench.dll
for side in "before:$1:$2" "after:$3:$4"; do
  IFS=: read -r name root artifacts <<<"$side"
  cd "$root"
  dotnet "$bench" blend --blend "$artifacts/ml-1m/model/blend.json" --data "$artifacts/ml-1m/data" --calls 2000 >"$out/$name-bench.txt" 2>&1
  serving/load/run.sh --no-build --model-dir "$artifacts/ml-1m" --duration 15 --soak 0 --connections 64 --scenarios known --out "$out/$name-known.md" >/dev/null
  serving/load/run.sh --no-build --model-dir "$artifacts/ml-1m" --duration 15 --soak 0 --connections "1 64" --scenarios "new heavy" --out "$out/$name-new.md" >/dev/null
  serving/load/run.sh --no-build --model-dir "$artifacts/item-only" --duration 15 --soak 0 --connections "1 64" --scenarios "new heavy" --out "$out/$name-item.md" >/dev/null
done
echo "reports in $out"
