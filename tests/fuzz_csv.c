/* libFuzzer target for the CSV reader (make fuzz).  The first byte picks
 * how many bytes each read hands over, so that records, CRLF pairs, quotes
 * and the byte-order mark are split across reads; the rest is the input.
 * Besides crashes and sanitizer findings, it checks two properties: every
 * field is valid UTF-8 without NUL bytes, and writing the records back with
 * the CSV writer and reading them again gives the same fields. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/csv.h"

typedef struct {
    const uint8_t *p;
    size_t len, pos, chunk;
} feed;

static long feed_read(void *ud, char *buf, size_t n)
{
    feed *f = ud;
    size_t k = f->len - f->pos;
    if (k > n)
        k = n;
    if (k > f->chunk)
        k = f->chunk;
    memcpy(buf, f->p + f->pos, k);
    f->pos += k;
    return (long)k;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t need = c < 0x80             ? 1
                      : (c & 0xE0) == 0xC0 ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (need == 0 || c == 0 || i + need > n)
            return 0;
        for (size_t k = 1; k < need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += need;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const size_t chunks[] = {1, 2, 3, 7, 64, 4096, 65536};
    feed f = {data + 1, size - 1, 0, chunks[data[0] % (sizeof chunks / sizeof chunks[0])]};
    csv_reader *r = csv_open(feed_read, &f);
    if (!r)
        return 0;
    /* Small limits, so that the fuzzer reaches them. */
    if (data[0] & 0x80)
        csv_set_limits(r, 64, 512, 16);

    csv_out out = {0};
    lb_err err;
    long records = 0, last_line = 0;
    int k;
    while ((k = csv_next(r, &err)) == 1) {
        records++;
        if (csv_record_line(r) <= last_line)
            abort(); /* lines only go forward */
        last_line = csv_record_line(r);
        if (csv_nfields(r) < 1)
            abort();
        for (int i = 0; i < csv_nfields(r); i++) {
            const char *s = csv_field(r, i);
            size_t n = csv_field_len(r, i);
            if (strlen(s) != n || !valid_utf8((const unsigned char *)s, n))
                abort();
            csv_out_field(&out, s);
        }
        csv_out_end_record(&out);
    }
    if (k < 0 && (csv_error_line(r) < 1 || err.msg[0] == '\0'))
        abort();
    if (k < 0 || out.failed) {
        csv_close(r);
        csv_out_free(&out);
        return 0;
    }

    /* Round trip: the written text reads back to the same records (empty
     * records, a lone empty field, are written as an empty line and skipped
     * on reading, so they are left out of the comparison). */
    csv_reader *a = csv_open_mem((const char *)data + 1, size - 1);
    csv_reader *b = csv_open_mem(out.buf ? out.buf : "", out.len);
    lb_err e1, e2;
    for (;;) {
        int ka, kb;
        do
            ka = csv_next(a, &e1);
        while (ka == 1 && csv_nfields(a) == 1 && csv_field_len(a, 0) == 0);
        do
            kb = csv_next(b, &e2);
        while (kb == 1 && csv_nfields(b) == 1 && csv_field_len(b, 0) == 0);
        if (ka != kb)
            abort();
        if (ka != 1)
            break;
        if (csv_nfields(a) != csv_nfields(b))
            abort();
        for (int i = 0; i < csv_nfields(a); i++) /* the formula rule undone */
            if (strcmp(csv_field(a, i), csv_unguard(csv_field(b, i))) != 0)
                abort();
    }
    csv_close(a);
    csv_close(b);
    csv_close(r);
    csv_out_free(&out);
    return 0;
}
