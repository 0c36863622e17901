#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leadboard/csv.h"
#include "leadboard/text.h"

#define CSV_CHUNK 65536
#define CSV_EOF (-1)
#define CSV_RERR (-2)

struct csv_reader {
    csv_read_fn read; /* NULL: reading from memory */
    void *ud;
    char *in; /* stream input buffer */
    bool in_eof, read_error;
    const unsigned char *p, *end; /* bytes not yet consumed */
    unsigned char head[4];        /* the first bytes, read ahead to look for a BOM */
    bool started;

    /* the current record: fields one after another, each NUL-terminated */
    char *data;
    size_t len, cap;
    size_t *off, *flen;
    int nfields, fcap;

    long line; /* physical line of the next byte */
    long record_line, error_line;
    bool done, failed;
    char errmsg[LB_ERR_MAX];

    size_t field_max, record_max;
    int fields_max;
    int delim;
};

static csv_reader *reader_new(void)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->line = 1;
    r->field_max = CSV_FIELD_MAX;
    r->record_max = CSV_RECORD_MAX;
    r->fields_max = CSV_FIELDS_MAX;
    r->delim = ',';
    return r;
}

csv_reader *csv_open(csv_read_fn read, void *ud)
{
    csv_reader *r = reader_new();
    if (!r)
        return NULL;
    r->in = malloc(CSV_CHUNK);
    if (!r->in) {
        free(r);
        return NULL;
    }
    r->read = read;
    r->ud = ud;
    return r;
}

csv_reader *csv_open_mem(const char *data, size_t len)
{
    csv_reader *r = reader_new();
    if (!r)
        return NULL;
    r->p = (const unsigned char *)data;
    r->end = r->p + len;
    r->in_eof = true;
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    free(r->in);
    free(r->data);
    free(r->off);
    free(r->flen);
    free(r);
}

void csv_set_limits(csv_reader *r, size_t field_max, size_t record_max, int fields_max)
{
    if (field_max)
        r->field_max = field_max;
    if (record_max)
        r->record_max = record_max;
    if (fields_max > 0)
        r->fields_max = fields_max;
}

void csv_set_delimiter(csv_reader *r, char delim)
{
    r->delim = (unsigned char)delim;
}

void csv_set_first_line(csv_reader *r, long line)
{
    r->line = line;
}

/* ---- input ---- */

static bool refill(csv_reader *r)
{
    if (r->in_eof || r->read_error || !r->read)
        return false;
    long n = r->read(r->ud, r->in, CSV_CHUNK);
    if (n < 0) {
        r->read_error = true;
        return false;
    }
    if (n == 0) {
        r->in_eof = true;
        return false;
    }
    r->p = (const unsigned char *)r->in;
    r->end = r->p + (n > CSV_CHUNK ? CSV_CHUNK : n);
    return true;
}

static inline int getb(csv_reader *r)
{
    if (r->p < r->end || refill(r))
        return *r->p++;
    return r->read_error ? CSV_RERR : CSV_EOF;
}

static inline int peekb(csv_reader *r)
{
    if (r->p < r->end || refill(r))
        return *r->p;
    return r->read_error ? CSV_RERR : CSV_EOF;
}

/* Reads the first bytes ahead (a stream may hand them over one at a time) so
 * that a byte-order mark can be recognised and skipped. */
static void start(csv_reader *r)
{
    r->started = true;
    if (r->read) {
        size_t n = 0;
        while (n < sizeof r->head) {
            long k = r->read(r->ud, (char *)r->head + n, sizeof r->head - n);
            if (k < 0) {
                r->read_error = true;
                break;
            }
            if (k == 0) {
                r->in_eof = true;
                break;
            }
            n += (size_t)k;
        }
        r->p = r->head;
        r->end = r->head + n;
    }
    if (r->end - r->p >= 3 && r->p[0] == 0xEF && r->p[1] == 0xBB && r->p[2] == 0xBF)
        r->p += 3;
}

static bool ascii_text(unsigned char c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n';
}

/* The wide encoding a file starts in, from a byte-order mark or from the
 * NUL bytes UTF-16 and UTF-32 put beside ASCII letters ("N\0a\0"); NULL
 * for anything else. */
static const char *wide_encoding(const unsigned char *p, size_t n)
{
    if (n >= 4 && ((p[0] == 0xFF && p[1] == 0xFE && !p[2] && !p[3]) ||
                   (!p[0] && !p[1] && p[2] == 0xFE && p[3] == 0xFF)))
        return "UTF-32";
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return "UTF-16";
    if (n < 4)
        return NULL;
    if ((ascii_text(p[0]) && !p[1] && !p[2] && !p[3]) ||
        (!p[0] && !p[1] && !p[2] && ascii_text(p[3])))
        return "UTF-32";
    if ((ascii_text(p[0]) && !p[1] && ascii_text(p[2]) && !p[3]) ||
        (!p[0] && ascii_text(p[1]) && !p[2] && ascii_text(p[3])))
        return "UTF-16";
    return NULL;
}

/* ---- errors ---- */

static int fail(csv_reader *r, lb_err *err, long line, const char *msg)
{
    r->failed = r->done = true;
    r->error_line = line;
    snprintf(r->errmsg, sizeof r->errmsg, "%s", msg);
    lb_fail(err, LB_EINVAL, "%s", msg);
    return -1;
}

static void size_text(size_t n, char *buf, size_t len)
{
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(buf, len, "%zu MiB", n >> 20);
    else
        snprintf(buf, len, "%zu bytes", n);
}

/* ---- UTF-8 ---- */

/* Offset of the first byte that is not part of a valid UTF-8 character (no
 * overlong forms, surrogates or code points past U+10FFFF), or len. */
static size_t utf8_bad_offset(const unsigned char *s, size_t len)
{
    size_t i = 0;
    uint32_t cp;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_decode(s + i, len - i, &cp);
        if (!k)
            return i;
        i += k;
    }
    return len;
}

/* ---- records ---- */

static bool grow_data(csv_reader *r, size_t need)
{
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *d = realloc(r->data, cap);
    if (!d)
        return false;
    r->data = d;
    r->cap = cap;
    return true;
}

/* Appends a byte to the current field; false (with the error set) when a
 * limit is passed or memory runs out. */
static inline bool put(csv_reader *r, int c, size_t fstart, long fline, lb_err *err)
{
    if (r->len + 2 > r->cap && !grow_data(r, r->len + 2)) {
        fail(r, err, fline, "out of memory reading a field");
        return false;
    }
    r->data[r->len++] = (char)c;
    if (r->len - fstart > r->field_max || r->len > r->record_max) {
        char lim[32], msg[128];
        bool field = r->len - fstart > r->field_max;
        size_text(field ? r->field_max : r->record_max, lim, sizeof lim);
        snprintf(msg, sizeof msg, "a %s longer than %s starts on this line; is this a CSV file?",
                 field ? "field" : "record", lim);
        fail(r, err, fline, msg);
        return false;
    }
    return true;
}

static bool new_field(csv_reader *r, lb_err *err)
{
    if (r->nfields >= r->fields_max) {
        char msg[96];
        snprintf(msg, sizeof msg, "more than %d fields in one record", r->fields_max);
        fail(r, err, r->record_line, msg);
        return false;
    }
    if (r->nfields == r->fcap) {
        int cap = r->fcap ? r->fcap * 2 : 64;
        size_t *off = realloc(r->off, (size_t)cap * sizeof *off);
        if (off)
            r->off = off;
        size_t *flen = off ? realloc(r->flen, (size_t)cap * sizeof *flen) : NULL;
        if (!flen) {
            fail(r, err, r->record_line, "out of memory reading a record");
            return false;
        }
        r->flen = flen;
        r->fcap = cap;
    }
    r->off[r->nfields] = r->len;
    r->flen[r->nfields] = 0;
    r->nfields++;
    return true;
}

/* Closes the current field: terminates it and checks its encoding. */
static bool end_field(csv_reader *r, size_t fstart, long fline, lb_err *err)
{
    if (r->len + 1 > r->cap && !grow_data(r, r->len + 1)) {
        fail(r, err, fline, "out of memory reading a field");
        return false;
    }
    size_t n = r->len - fstart;
    r->data[r->len++] = '\0';
    r->flen[r->nfields - 1] = n;
    const unsigned char *s = (const unsigned char *)r->data + fstart;
    size_t bad = utf8_bad_offset(s, n);
    if (bad == n)
        return true;
    long line = fline;
    for (size_t i = 0; i < bad; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
            line++;
    char msg[160];
    snprintf(msg, sizeof msg,
             "field %d is not valid UTF-8 (byte 0x%02X); save the file as UTF-8 (\"CSV UTF-8\")",
             r->nfields, s[bad]);
    fail(r, err, line, msg);
    return false;
}

/* After c: a line break (LF, CR or CRLF) counted and consumed, or false. */
static bool line_end(csv_reader *r, int c)
{
    if (c != '\n' && c != '\r')
        return false;
    r->line++;
    if (c == '\r' && peekb(r) == '\n')
        r->p++;
    return true;
}

int csv_next(csv_reader *r, lb_err *err)
{
    if (r->failed) {
        lb_fail(err, LB_EINVAL, "%s", r->errmsg);
        return -1;
    }
    if (r->done)
        return 0;
    if (!r->started) {
        start(r);
        const char *wide = wide_encoding(r->p, (size_t)(r->end - r->p));
        if (wide) {
            char msg[96];
            snprintf(msg, sizeof msg, "the file is %s text; save it as UTF-8 (\"CSV UTF-8\")",
                     wide);
            return fail(r, err, 1, msg);
        }
    }
    r->nfields = 0;
    r->len = 0;

    int c;
    for (;;) { /* empty lines are no records */
        c = getb(r);
        if (!line_end(r, c))
            break;
    }
    if (c == CSV_RERR)
        return fail(r, err, r->line, "cannot read the input");
    if (c == CSV_EOF) {
        r->done = true;
        return 0;
    }
    r->record_line = r->line;
    const int delim = r->delim;

    for (;;) {
        if (!new_field(r, err))
            return -1;
        size_t fstart = r->len;
        long fline = r->line;
        if (c == '"') {
            for (;;) {
                c = getb(r);
                if (c == '"') {
                    c = getb(r);
                    if (c != '"')
                        break; /* c follows the closing quote */
                } else if (c < 0) {
                    if (c == CSV_RERR)
                        return fail(r, err, r->line, "cannot read the input");
                    return fail(r, err, fline,
                                "a quoted field starts on this line but never ends (its closing "
                                "quote is missing)");
                } else if (c == 0) {
                    return fail(r, err, r->line,
                                "a NUL byte: this is binary data, not a CSV text file");
                } else if (c == '\n') {
                    r->line++;
                } else if (c == '\r') {
                    r->line++;
                    if (peekb(r) == '\n') {
                        if (!put(r, '\r', fstart, fline, err))
                            return -1;
                        c = getb(r);
                    }
                }
                if (!put(r, c, fstart, fline, err))
                    return -1;
            }
            if (c != delim && c != '\n' && c != '\r' && c != CSV_EOF && c != CSV_RERR) {
                if (c == 0)
                    return fail(r, err, r->line,
                                "a NUL byte: this is binary data, not a CSV text file");
                char msg[192], dn[4];
                snprintf(msg, sizeof msg,
                         "text after a closing quote; a quoted field must end at the delimiter "
                         "(%s) or the end of the line (a quote inside it is written twice: \"\")",
                         csv_delimiter_name((char)delim, dn));
                return fail(r, err, r->line, msg);
            }
        } else {
            while (c != delim && c != '\n' && c != '\r' && c >= 0) {
                if (c == '"')
                    return fail(r, err, r->line,
                                "a quote inside an unquoted field; quote the whole field and "
                                "write the quote twice (\"say \"\"hi\"\"\")");
                if (c == 0)
                    return fail(r, err, r->line,
                                "a NUL byte: this is binary data, not a CSV text file");
                if (!put(r, c, fstart, fline, err))
                    return -1;
                c = getb(r);
            }
        }
        if (!end_field(r, fstart, fline, err))
            return -1;
        if (c == delim) {
            c = getb(r);
            continue;
        }
        if (!line_end(r, c) && c == CSV_RERR)
            return fail(r, err, r->line, "cannot read the input");
        return 1;
    }
}

int csv_nfields(const csv_reader *r)
{
    return r->nfields;
}

const char *csv_field(const csv_reader *r, int i)
{
    return i >= 0 && i < r->nfields ? r->data + r->off[i] : "";
}

size_t csv_field_len(const csv_reader *r, int i)
{
    return i >= 0 && i < r->nfields ? r->flen[i] : 0;
}

long csv_record_line(const csv_reader *r)
{
    return r->record_line;
}

long csv_error_line(const csv_reader *r)
{
    return r->error_line;
}

/* ---- the delimiter ---- */

#define SNIFF_RECORDS 50

/* Splits the first records of p[0..n) at delim: counts[] gets each well-
 * formed record's number of fields, *bad the records whose quotes do not
 * fit that delimiter (text after a closing quote, a quote inside an
 * unquoted field).  A record cut at n is left out unless the input ends
 * there.  Returns how many counts there are. */
static int sniff_split(const char *p, size_t n, bool eof, char delim, int *counts, int *bad)
{
    size_t i = 0;
    int nrec = 0;
    *bad = 0;
    while (i < n && nrec < SNIFF_RECORDS) {
        int fields = 1;
        bool malformed = false, ended = false, empty = true;
        while (i < n) { /* one field */
            if (p[i] == '"') {
                empty = false;
                i++;
                for (;;) {
                    if (i >= n)
                        break;
                    if (p[i] == '"') {
                        if (i + 1 < n && p[i + 1] == '"') {
                            i += 2;
                            continue;
                        }
                        if (i + 1 >= n && !eof)
                            i = n; /* is it "" cut in two? */
                        else
                            i++;
                        break;
                    }
                    i++;
                }
                if (i >= n)
                    break;
                if (p[i] != delim && p[i] != '\n' && p[i] != '\r') {
                    malformed = true;
                    while (i < n && p[i] != delim && p[i] != '\n' && p[i] != '\r')
                        i++;
                }
            } else {
                while (i < n && p[i] != delim && p[i] != '\n' && p[i] != '\r') {
                    if (p[i] == '"')
                        malformed = true;
                    empty = false;
                    i++;
                }
            }
            if (i >= n)
                break;
            if (p[i] == delim) {
                fields++;
                empty = false;
                i++;
                continue;
            }
            /* a line break ends the record */
            if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
                i++;
            i++;
            ended = true;
            break;
        }
        if (!ended && !eof)
            break; /* cut by the end of the sample */
        if (empty)
            continue; /* an empty line is no record */
        if (malformed)
            (*bad)++;
        else
            counts[nrec++] = fields;
    }
    return nrec;
}

char csv_sniff_delimiter(const char *p, size_t n, bool eof)
{
    static const char cands[] = {',', ';', '\t', '|'};
    enum { NC = sizeof cands };
    int mode[NC], freq[NC], bad[NC], least_bad = SNIFF_RECORDS + 1;
    for (int c = 0; c < NC; c++) {
        int counts[SNIFF_RECORDS];
        int nrec = sniff_split(p, n, eof, cands[c], counts, &bad[c]);
        /* the most frequent number of fields past one, and how often */
        mode[c] = freq[c] = 0;
        for (int i = 0; i < nrec; i++) {
            if (counts[i] < 2)
                continue;
            int f = 0;
            for (int j = 0; j < nrec; j++)
                f += counts[j] == counts[i];
            if (f > freq[c] || (f == freq[c] && counts[i] > mode[c]))
                mode[c] = counts[i], freq[c] = f;
        }
        if (bad[c] < least_bad)
            least_bad = bad[c];
    }
    /* Records that agree, weighed by how many fields they agree on (a ';'
     * file with decimal commas splits in two at ',' too), less the records
     * whose quotes this delimiter breaks and another does not (a line of
     * preamble with quotes in it is no evidence either way). */
    char best = ',';
    long best_score = 0;
    for (int c = 0; c < NC; c++) {
        long score = (long)(freq[c] - (bad[c] - least_bad)) * mode[c];
        if (score > best_score)
            best = cands[c], best_score = score;
    }
    return best;
}

size_t csv_sep_line(const char *p, size_t n, bool eof, char *delim)
{
    size_t i = 0;
    bool quoted = n > 0 && p[0] == '"';
    i += quoted;
    if (n - i < 5 || strncasecmp(p + i, "sep=", 4) != 0)
        return 0;
    unsigned char c = (unsigned char)p[i + 4];
    char one[2] = {(char)c, '\0'};
    char d;
    if (csv_delimiter_parse(one, &d, NULL) != LB_OK)
        return 0;
    i += 5;
    if (quoted) {
        if (i >= n || p[i] != '"')
            return 0;
        i++;
    }
    if (i == n) {
        if (!eof)
            return 0;
    } else if (p[i] == '\r') {
        i++;
        if (i < n && p[i] == '\n')
            i++;
    } else if (p[i] == '\n') {
        i++;
    } else {
        return 0;
    }
    *delim = d;
    return i;
}

lb_status csv_delimiter_parse(const char *s, char *out, lb_err *err)
{
    static const struct {
        const char *name;
        char c;
    } names[] = {{"tab", '\t'}, {"\\t", '\t'}, {"comma", ','}, {"semicolon", ';'}, {"pipe", '|'}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].c;
            return LB_OK;
        }
    unsigned char c = (unsigned char)s[0];
    if (c && !s[1] &&
        (c == '\t' || (c > 0x20 && c < 0x7F && c != '"' && !(c >= '0' && c <= '9') &&
                       !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))) {
        *out = (char)c;
        return LB_OK;
    }
    return lb_fail(err, LB_EUSAGE,
                   "--delimiter takes one character, such as , ; | or tab (not a quote, letter or "
                   "digit)");
}

const char *csv_delimiter_name(char delim, char buf[4])
{
    unsigned char c = (unsigned char)delim;
    if (c == '\t')
        return "tab";
    buf[0] = c > 0x20 && c < 0x7F ? (char)c : '?';
    buf[1] = '\0';
    return buf;
}
