/* CSV (RFC 4180) in and out.  The reader streams: it holds one record at a
 * time, pulls its bytes through a read callback (the core does no I/O), and
 * knows the physical line where each record starts, so that an importer can
 * say "file:line: reason".  The writer is in csv_write.h. */
#ifndef LEADBOARD_CSV_H
#define LEADBOARD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/csv_write.h"
#include "leadboard/status.h"

/* Fills buf with up to n bytes; returns how many, 0 at the end of the input,
 * or -1 on a read error. */
typedef long (*csv_read_fn)(void *ud, char *buf, size_t n);

typedef struct csv_reader csv_reader;

#define CSV_FIELD_MAX ((size_t)1 << 20)   /* 1 MiB per field */
#define CSV_RECORD_MAX ((size_t)16 << 20) /* 16 MiB per record */
#define CSV_FIELDS_MAX 10000              /* fields per record */

/* NULL when out of memory. */
csv_reader *csv_open(csv_read_fn read, void *ud);
/* Reads from memory (not copied: it must outlive the reader). */
csv_reader *csv_open_mem(const char *data, size_t len);
void csv_close(csv_reader *r);
/* Lowers the limits (tests); 0 keeps a limit as it is. */
void csv_set_limits(csv_reader *r, size_t field_max, size_t record_max, int fields_max);

/* The field delimiter (',' unless set; before the first csv_next). */
void csv_set_delimiter(csv_reader *r, char delim);

/* The delimiter of a file that starts with text p[0..n) (the whole file
 * when eof): ',' ';' tab or '|', whichever splits its first records into
 * the same number of fields most often, quotes respected; ',' when none
 * splits them. */
char csv_sniff_delimiter(const char *p, size_t n, bool eof);

/* Excel's "sep=;" line (quoted or not) at the start of p: its length with
 * its line break, and *delim; 0 when there is none.  It names the delimiter
 * and is not part of the data. */
size_t csv_sep_line(const char *p, size_t n, bool eof, char *delim);

/* The physical line the reader's input starts on (1 unless set; before the
 * first csv_next), for a reader started past a line such as "sep=;". */
void csv_set_first_line(csv_reader *r, long line);

/* --delimiter's value: one character (not a quote, letter, digit or line
 * break), or "tab", "comma", "semicolon", "pipe".  LB_EUSAGE otherwise. */
lb_status csv_delimiter_parse(const char *s, char *out, lb_err *err);
/* How a delimiter is named to people: "," ";" "|" "tab" (buf or a constant). */
const char *csv_delimiter_name(char delim, char buf[4]);

/* Reads the next record: 1 when there is one, 0 at the end of the input, -1
 * on malformed input (err says why, csv_error_line where; the reader is then
 * done).  A UTF-8 byte-order mark at the start is skipped; records end with
 * CRLF, LF or CR; empty lines are skipped.  Every field is valid UTF-8 with
 * no NUL byte; line breaks inside quoted fields are kept as they are. */
int csv_next(csv_reader *r, lb_err *err);

int csv_nfields(const csv_reader *r);
/* Field i of the current record, NUL-terminated; "" when i is out of range. */
const char *csv_field(const csv_reader *r, int i);
size_t csv_field_len(const csv_reader *r, int i);
/* Physical line (1-based) where the current record starts. */
long csv_record_line(const csv_reader *r);
/* Physical line of the last error. */
long csv_error_line(const csv_reader *r);

/* Writing: leadboard/csv_write.h. */

#endif
