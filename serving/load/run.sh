#!/usr/bin/env bash
# Load test of the AutoRec service with wrk: starts the app (Release) on 127.0.0.1, waits for /readyz, runs
# known-user top-10 (from a cold ranking cache), new-user top-10 (20 ratings; heavy: 500) and a mix with 5 % bad
# requests at 1, 16 and 64 connections,
# then the mix for a soak run, recording the server's memory before and after; writes a Markdown report.
#
#   serving/load/run.sh                         # artifacts/ml-1m, 20 s per run, 300 s soak
#   serving/load/run.sh --duration 5 --soak 30  # a quick smoke run
#
# Options: --model-dir DIR (artifacts/ml-1m), --duration SECONDS per run (20), --soak SECONDS (300; 0 skips it),
# --connections "1 16 64", --scenarios "known new mix" (also: heavy), --port PORT (5090), --out FILE (serving/load/results.md),
# --no-build. The service reads its usual configuration, so environment variables tune it (Batching__Enabled=false).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
model_dir="artifacts/ml-1m"
duration=20
soak=300
connections="1 16 64"
scenarios="known new mix"
port=5090
out="$here/results.md"
build=1

while [ $# -gt 0 ]; do
  case "$1" in
    --model-dir) model_dir="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --soak) soak="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in wrk curl python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool is not installed. On Debian/Ubuntu: apt-get install -y $tool" >&2
    exit 1
  fi
done

cd "$root"
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$build" = 1 ]; then
  echo "building serving/AutoRec.Serving (Release)..."
  dotnet build -c Release -v quiet -nologo serving/AutoRec.Serving >/dev/null
fi

echo "starting the service on $url with $model_dir..."
dotnet serving/AutoRec.Serving/bin/Release/net10.0/AutoRec.Serving.dll \
  --Model:Directory="$model_dir" --Serving:Host=127.0.0.1 --Serving:Port="$port" \
  --Logging:LogLevel:Default=Warning >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the service exited:"; cat "$work/server.log"; exit 1; }
  sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] || { echo "not ready after 120 s"; tail "$work/server.log"; exit 1; }

# Ids for the scenarios: MovieLens user ids are 1..N in every release (checked on a sample); movies are
# collected from recommendations, so every one is a movie the model scores.
python3 - "$url" "$work/ids.lua" <<'PY'
import json, random, sys, urllib.request
url, out = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(url + path))
model = get("/v1/model")
users = list(range(1, model["users"] + 1))
random.seed(1)
movies = set()
for user in random.sample(users, min(300, len(users))):
    movies.update(m["movieId"] for m in get(f"/v1/users/{user}/recommendations?n=100")["recommendations"])
if len(movies) < 600:
    sys.exit(f"only {len(movies)} movies found")
with open(out, "w") as f:
    f.write("return { users = {%s}, movies = {%s} }\n" % (",".join(map(str, users)), ",".join(map(str, sorted(movies)))))
print(f"model {model['kind']} {model['dataset']} {model['version'][:12]}: {len(users)} users, {len(movies)} movies for the scenarios")
PY
export AUTOREC_LOAD_DIR="$here" AUTOREC_LOAD_IDS="$work/ids.lua"

rss_mb() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }
metric() { curl -s "$url/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }
fivexx_total() { curl -s "$url/metrics" | awk '/^http_requests_received_total\{code="5/ { n += $2 } END { print n + 0 }'; }

# One wrk run; prints "rps p50 p99 non2xx socket_errors fourxx fivexx".
run_wrk() {
  local script="$1" conns="$2" seconds="$3" threads=2
  [ "$conns" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -s "$here/$script.lua" "$url" >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out"; exit 1; }
  grep '^RESULT' "$work/wrk.out" | sed 's/^RESULT //' | tr ' ' '\n' | awk -F= '{ v[$1] = $2 } END { print v["rps"], v["p50_ms"], v["p99_ms"], v["non2xx"], v["socket_errors"], v["fourxx"], v["fivexx"] }'
}

# The warm-up sends no known-user requests, so the known-user runs start from a cold ranking cache (it fills as
# they go: run "--scenarios known --connections 64" to see 64 connections from cold).
echo "warming up..."
run_wrk new 16 5 >/dev/null

started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
rss_start="$(rss_mb)"
fivexx_start="$(fivexx_total)"
rows=""
for scenario in $scenarios; do
  for conns in $connections; do
    read -r rps p50 p99 non2xx sockerr fourxx fivexx < <(run_wrk "$scenario" "$conns" "$duration")
    echo "$scenario c=$conns: $rps req/s, p50 $p50 ms, p99 $p99 ms, non-2xx $non2xx, socket errors $sockerr"
    case "$scenario" in
      known) name="known-user top-10" ;;
      new) name="new-user top-10, 20 ratings" ;;
      mix) name="mix, 5 % bad requests" ;;
      heavy) name="new-user top-10, 500 ratings" ;;
    esac
    rows+="| $name | $conns | $(printf '%.0f' "$rps") | $p50 | $p99 | $non2xx | $sockerr |"$'\n'
  done
done

soak_rows=""
rss_before="$(rss_mb)"
heap_before="$(metric dotnet_total_memory_bytes)"
if [ "$soak" -gt 0 ]; then
  echo "soak: mix at 64 connections for $soak s..."
  (
    for i in $(seq 30 30 "$soak"); do
      sleep 30
      echo "| ${i} s | $(rss_mb) |"
    done
  ) >"$work/rss.log" &
  sampler=$!
  read -r soak_rps soak_p50 soak_p99 soak_non2xx soak_sockerr soak_fourxx soak_fivexx < <(run_wrk mix 64 "$soak")
  wait "$sampler" || true
  soak_rows="$(cat "$work/rss.log")"
fi
rss_after="$(rss_mb)"
heap_after="$(metric dotnet_total_memory_bytes)"
fivexx_server=$(( $(fivexx_total) - fivexx_start ))

{
  echo "## Service load test ($started)"
  echo
  echo "\`serving/load/run.sh --duration $duration --soak $soak\` against \`$model_dir\`: the service (Release) and wrk on the same"
  echo "machine ($(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }')), wrk with 1 thread at 1 connection and 2 otherwise;"
  echo "load average $loadavg at the start. ${duration} s per run after a 5 s warm-up of new-user requests (none of known users: their run starts from a cold ranking cache); latencies are wrk's."
  echo
  echo "| scenario | connections | requests/s | p50 ms | p99 ms | non-2xx | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$rows"
  echo
  echo "Non-2xx in the mix are its 5 % bad requests (each a 4xx). 5xx answers over all runs, from the service's own"
  echo "\`http_requests_received_total\`: **$fivexx_server**."
  if [ "$soak" -gt 0 ]; then
    echo
    echo "Soak: the mix at 64 connections for $soak s: $(printf '%.0f' "$soak_rps") requests/s, p50 $soak_p50 ms, p99 $soak_p99 ms,"
    echo "$soak_fourxx 4xx, $soak_fivexx 5xx. Server memory (VmRSS) $rss_start MB after warm-up, $rss_before MB before the soak,"
    echo "$rss_after MB after it; managed heap $(( ${heap_before%.*} / 1048576 )) MB before, $(( ${heap_after%.*} / 1048576 )) MB after."
    echo
    echo "| soak time | VmRSS MB |"
    echo "|---:|---:|"
    echo "| 0 s | $rss_before |"
    echo "$soak_rows"
  fi
} >"$out"
echo
cat "$out"
