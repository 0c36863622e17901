# shellcheck shell=bash
# A private PostgreSQL server for the tests (issue 16), sourced by
# tests/cli/lib.sh when ENGINE=postgresql and by tests/check_pg.sh.
#
#   pg_server_start DIR   initdb into DIR/data, start it on a free port with
#                         its unix socket in DIR (or in a short folder under
#                         /tmp when DIR's path is too long for a socket), no
#                         TCP; sets LB_PG_HOST, LB_PG_PORT, LB_PG_USER
#   pg_server_stop        stops it (pg_ctl stop -m immediate) and removes DIR
#   pg_createdb NAME      a database owned by the test role
#   pg_psql DB ARGS...    psql as the test role on database DB
#
# The server runs as the invoking user, or as "postgres" (runuser) when
# that is root, since PostgreSQL refuses to run as root.  The test role
# "lbtest" is not a superuser: what the tests see is what a team's role
# sees.

_pg_bindir() {
    local d
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ]; then
            echo "$d"
            return
        fi
    done
    return 1
}

_pg_as() { # runs a server command as the server's user
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$_PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

pg_server_start() {
    local dir=$1 bin port tries=0
    bin=$(_pg_bindir) || {
        echo "PostgreSQL's server programs (initdb, pg_ctl) are missing: apt-get install postgresql, or run ./quickstart" >&2
        return 1
    }
    _PG_BIN=$bin
    _PG_OWNER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        _PG_OWNER=postgres
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres || return 1
    fi
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd)
    chown "$_PG_OWNER" "$dir" 2>/dev/null
    # A unix socket path has at most 107 bytes, and the server's user must
    # reach the folder (a build under /root is out of its reach).
    if [ ${#dir} -gt 80 ] || ! _pg_as test -w "$dir" 2>/dev/null; then
        rm -rf "$dir"
        dir=$(mktemp -d /tmp/lbpg.XXXXXX) || return 1
        chown "$_PG_OWNER" "$dir" 2>/dev/null
    fi
    _PG_DIR=$dir
    _pg_as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1 || {
        echo "initdb failed; see $dir/initdb.log" >&2
        cat "$dir/initdb.log" >&2
        return 1
    }
    # a port no other server uses (the socket's name carries it)
    while :; do
        port=$((20000 + (RANDOM % 20000)))
        [ -e "$dir/.s.PGSQL.$port" ] || break
    done
    until _pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB" \
        start >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ $tries -ge 3 ]; then
            echo "the test PostgreSQL server did not start; see $dir/server.log" >&2
            tail -5 "$dir/server.log" >&2
            return 1
        fi
        port=$((20000 + (RANDOM % 20000)))
    done
    LB_PG_HOST=$dir
    LB_PG_PORT=$port
    LB_PG_USER=lbtest
    export LB_PG_HOST LB_PG_PORT LB_PG_USER
    _PG_PSQL=$(command -v psql || echo "$bin/psql")
    "$_PG_PSQL" -h "$dir" -p "$port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE lbtest LOGIN CREATEDB" >/dev/null || return 1
}

pg_server_stop() {
    if [ -n "${_PG_DIR:-}" ] && [ -d "$_PG_DIR/data" ]; then
        _pg_as "$_PG_BIN/pg_ctl" -D "$_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
        rm -rf "$_PG_DIR"
    fi
    _PG_DIR=
}

pg_psql() {
    local db=$1
    shift
    "${_PG_PSQL:-psql}" -h "$LB_PG_HOST" -p "$LB_PG_PORT" -U "$LB_PG_USER" -d "$db" \
        -X -q "$@"
}

pg_createdb() {
    pg_psql postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" >/dev/null
}

# The libpq URL of a database on the test server.
pg_url() {
    printf 'postgresql:///%s?host=%s&port=%s&user=%s' "$1" "$LB_PG_HOST" "$LB_PG_PORT" "$LB_PG_USER"
}
