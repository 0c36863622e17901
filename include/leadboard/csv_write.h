/* The one writer of CSV (RFC 4180) and TSV text: list, campaign list, the
 * reports, lead show's timeline and export all write through it, so they
 * share one quoting and one formula rule.  Formula rule: a spreadsheet runs
 * a cell that starts with = + - or @ (tab or CR can hide one) as a
 * formula, so such a cell is written with an apostrophe before it; a plain
 * negative number ("-142.85") stays a number. */
#ifndef LEADBOARD_CSV_WRITE_H
#define LEADBOARD_CSV_WRITE_H

#include <stdbool.h>
#include <stddef.h>

/* A growing buffer of records: fields are appended one by one.  A zeroed
 * csv_out writes CSV (records end with CRLF); with tsv set, TSV (tab
 * between fields, LF after records, tab, newline, CR, backslash and every
 * control character as a backslash escape: "\t", "\x1b").  With terminal
 * set, cells are under the output rule (text_escape; CSV keeps its line
 * breaks), for text headed to a terminal rather than a file.  On
 * allocation failure `failed` is set and appends do nothing. */
typedef struct csv_out {
    char *buf;
    size_t len, cap;
    bool failed;
    bool mid_record; /* a field was written on this record: the next needs a separator */
    bool tsv;
    bool terminal;
    bool verbatim; /* no formula rule: only for a copy of records as they were
                    * read (an import's rejects file), never for leadboard's data */
    char delim;    /* CSV's delimiter when not ',' (a rejects file as its source: ';') */
} csv_out;

/* Appends a field under the formula rule; in CSV, quoted when it holds a
 * comma, a quote, CR or LF, or starts or ends with a space (so that lenient
 * readers do not trim it), or starts with a BOM. */
void csv_out_field(csv_out *o, const char *s);
void csv_out_end_record(csv_out *o);
/* Forgets the text (keeps the memory and the settings). */
void csv_out_clear(csv_out *o);
void csv_out_free(csv_out *o);

/* The formula rule itself: true when s is written with an apostrophe
 * before it.  So that guarding can be undone, an s that starts with
 * apostrophes before such a start (or before a negative number) is
 * guarded too: "=1" is written "'=1", "'=1" "''=1", "'-5" "''-5". */
bool csv_formula_guarded(const char *s);
/* A cell as it was before the writer guarded it (for reading leadboard's
 * own export back): csv_unguard of what csv_out_field wrote is the value. */
const char *csv_unguard(const char *s);

#endif
