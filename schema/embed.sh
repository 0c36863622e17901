#!/bin/sh
# Turns the numbered migrations given as arguments into a C table, so the
# binary carries its schema.  Usage: embed.sh schema/sqlite/0001_x.sql ... > out.c
set -e
echo '/* Generated from the schema folder by schema/embed.sh; do not edit. */'
echo '#include "config.h"'
echo '#include "db_internal.h"'
echo 'const struct db_migration db_migrations[] = {'
for f in "$@"; do
  base=$(basename "$f")
  num=$(printf '%s' "$base" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
  printf '    {%s, "%s",\n' "$num" "$base"
  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/     "/' -e 's/$/\\n"/' "$f"
  printf '    },\n'
done
echo '};'
echo "const int db_migration_count = $#;"
