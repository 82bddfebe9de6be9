#!/usr/bin/env bash
# Starts a throwaway ClickHouse server for the server-engine tests: Debian's
# clickhouse-server package (18.16, from 2018), run as a plain process (not the system
# service) with its data, logs and config in a fresh temporary folder, listening on free
# localhost ports. Prints shell assignments to eval:
#
#   eval "$(bash tests/src/support/start-clickhouse-server.sh)"   # sets CLICKHOUSE_URL, ...
#   npx jest tests/src/warehouse/server.test.ts
#   bash tests/src/support/start-clickhouse-server.sh stop "$XUNCHA_CH_SERVER_DIR"
#
# With --install, installs the Debian packages first when the server is missing (root,
# apt-get). Exits non-zero with a one-line reason on stderr when the server cannot start.
set -euo pipefail

fail() { echo "start-clickhouse-server: $*" >&2; exit 1; }

if [ "${1:-}" = "stop" ]; then
  dir="${2:-}"
  [ -n "$dir" ] && [ -f "$dir/pid" ] || fail "usage: $0 stop <folder printed as XUNCHA_CH_SERVER_DIR>"
  pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf "$dir"
  exit 0
fi

server=$(command -v clickhouse-server || true)
[ -n "$server" ] || server=/usr/sbin/clickhouse-server
if [ ! -x "$server" ] && [ "${1:-}" = "--install" ]; then
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server; } >&2 \
    || fail "apt-get install clickhouse-server failed"
fi
[ -x "$server" ] || fail "clickhouse-server is not installed (apt-get install -y clickhouse-server, or pass --install)"

# Two free localhost ports, chosen by the OS.
read -r http_port tcp_port < <(node -e '
  const net = require("net");
  const take = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  (async () => { const a = await take(); let b = await take(); while (b === a) b = await take(); console.log(a, b); })();
')

dir=$(mktemp -d "${TMPDIR:-/tmp}/xuncha-ch-server-XXXXXX")
mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/log"
cat > "$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http_port</http_port>
  <tcp_port>$tcp_port</tcp_port>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>Asia/Shanghai</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
XML
cat > "$dir/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML

# setsid: the server must not die with the shell that eval'd this script.
setsid "$server" --config-file="$dir/config.xml" > "$dir/log/stdout.log" 2>&1 < /dev/null &
echo $! > "$dir/pid"

url="http://127.0.0.1:$http_port"
for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1] + "/ping").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" 2>/dev/null; then
    echo "export CLICKHOUSE_URL=$url"
    echo "export XUNCHA_CH_SERVER_DIR=$dir"
    exit 0
  fi
  kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
  sleep 0.1
done
reason=$(tail -n 3 "$dir/log/server.err.log" "$dir/log/stdout.log" 2>/dev/null | tr '\n' ' ' | cut -c1-400)
bash "$0" stop "$dir" || true
fail "ClickHouse server did not answer on $url within 10 s: $reason"
