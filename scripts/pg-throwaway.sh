#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests (trust auth, loopback only, data in a temp dir).
#
#   scripts/pg-throwaway.sh start DIR   -> initdb into DIR, start on a free port, create database
#                                          `test`; prints TEST_DATABASE_URL=... on stdout
#   scripts/pg-throwaway.sh stop DIR    -> stop the server started in DIR and delete DIR
#
# initdb refuses to run as root, so as root the server runs as the `postgres` user
# (recipe: /work/shared/reference/toolchain.md section 10). Logs go to stderr.
set -euo pipefail

log() { echo "[pg-throwaway] $*" >&2; }

pg_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$newest" && -x "$newest/initdb" ]]; then echo "$newest"; return; fi
  if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then pg_config --bindir; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  log "no PostgreSQL server binaries found (install Debian's postgresql package)"
  return 1
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Runs a command as the server's owner: postgres when we are root, else ourselves.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    local cmd
    printf -v cmd '%q ' "$@"
    su postgres -s /bin/bash -c "$cmd"
  else
    "$@"
  fi
}

start() {
  local dir=$1 bindir port
  bindir=$(pg_bindir)
  mkdir -p "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$dir"; fi
  log "initdb into $dir/data ($bindir)"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  port=$(free_port)
  log "starting on 127.0.0.1:$port"
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" -w -t 60 start >&2 ||
    { cat "$dir/server.log" >&2 || true; return 1; }
  echo "$port" >"$dir/port"
  psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'create database test' </dev/null >&2
  echo "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/test"
}

stop() {
  local dir=$1 bindir
  [[ -d "$dir" ]] || return 0
  bindir=$(pg_bindir)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    log "stopping the server in $dir"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || log "pg_ctl stop failed"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  *)
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
    ;;
esac
