/* The bytes of a file, in whatever encoding it was saved, turned into the
 * UTF-8 text the CSV reader takes, streaming in constant memory: byte-order
 * marks (UTF-8, UTF-16 and UTF-32), a named encoding through iconv, and
 * Windows-1252 for a file that is not UTF-8 and says nothing.  A binary file
 * is refused before any of it is read as text. */
#ifndef LEADBOARD_DECODE_H
#define LEADBOARD_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/csv.h"
#include "leadboard/status.h"

typedef struct lb_decoder lb_decoder;

/* How much decode_peek can look ahead. */
#define DECODE_PEEK_MAX ((size_t)65536)

/* LB_EUSAGE when iconv does not know the encoding NAME. */
lb_status decode_check_encoding(const char *name, lb_err *err);

/* A decoder reading through read(ud, ...).  encoding: a name iconv knows
 * ("SHIFT_JIS", "ISO-8859-15"), or NULL to tell from the bytes.  source names
 * the file in messages.  LB_EUSAGE for an unknown encoding, LB_EDB when out
 * of memory. */
lb_status decode_open(csv_read_fn read, void *ud, const char *encoding, const char *source,
                      lb_decoder **out, lb_err *err);
void decode_close(lb_decoder *d);

/* Looks at the first bytes: the encoding, or LB_EINVAL for a binary file
 * (one line saying what it seems to be and what to do).  decode_read and
 * decode_peek start by themselves; call it first for that message. */
lb_status decode_start(lb_decoder *d, lb_err *err);

/* A csv_read_fn: the next decoded bytes, valid UTF-8 with no control
 * characters but tab, CR and LF (a character may span two reads): C1
 * controls become the Windows-1252 characters they stand for in mislabelled
 * text, the others a space; a NUL stays, for the CSV reader to refuse.
 * -1 after a read error, or bytes that are not in the encoding given
 * (decode_error says which and where). */
long decode_read(void *d, char *buf, size_t n);

/* The decoded text ahead, not consumed: *n bytes at *p, want or fewer (at
 * the end of the input, or when the input cannot be decoded further);
 * want is at most DECODE_PEEK_MAX.  *eof: the input ends there. */
void decode_peek(lb_decoder *d, size_t want, const char **p, size_t *n, bool *eof);

/* decode_encoding's name for a file read as Windows-1252 because it is not
 * UTF-8 and said nothing. */
#define DECODE_FALLBACK "Windows-1252 (not UTF-8)"

/* The encoding read, for the summary: "UTF-8", "UTF-16LE with BOM",
 * "Windows-1252 (not UTF-8)", "SHIFT_JIS (given)"...  Final once the input
 * has been read to its end (a UTF-8 file can turn out not to be). */
const char *decode_encoding(const lb_decoder *d);

/* After decode_read returned -1 because of the input's bytes (not a read
 * error): true, with err filled ("bytes 0x81 0x20 are not SHIFT_JIS ...")
 * and *line the physical line they are on. */
bool decode_error(const lb_decoder *d, lb_err *err, long *line);

#endif
