#!/bin/sh
# Turns the numbered migrations given as arguments into C tables, so the
# binary carries its schema: schema/sqlite/*.sql into db_migrations,
# schema/postgresql/*.sql into db_pg_migrations (one folder per engine, the
# same numbers).  Usage: embed.sh schema/sqlite/0001_x.sql ... > out.c
set -e
echo '/* Generated from the schema folder by schema/embed.sh; do not edit. */'
echo '#include "config.h"'
echo '#include "db_internal.h"'
table() {
  name=$1 count=0
  shift
  echo "const struct db_migration $name[] = {"
  for f in "$@"; do
    base=$(basename "$f")
    num=$(printf '%s' "$base" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
    printf '    {%s, "%s",\n' "$num" "$base"
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/     "/' -e 's/$/\\n"/' "$f"
    printf '    },\n'
  done
  echo '};'
}
sqlite='' pg=''
nsqlite=0 npg=0
for f in "$@"; do
  case $f in
    */postgresql/*) pg="$pg $f" npg=$((npg + 1)) ;;
    *) sqlite="$sqlite $f" nsqlite=$((nsqlite + 1)) ;;
  esac
done
# shellcheck disable=SC2086
table db_migrations $sqlite
echo "const int db_migration_count = $nsqlite;"
# shellcheck disable=SC2086
table db_pg_migrations $pg
echo "const int db_pg_migration_count = $npg;"
