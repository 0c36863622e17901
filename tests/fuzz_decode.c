/* libFuzzer target for the decoding reader (make fuzz-decode).  The first
 * byte picks how many bytes each read hands over and the encoding (none:
 * detected, or one of a few named); the rest is the file.  Besides crashes
 * and sanitizer findings, it checks what decode.h promises: the text is
 * valid UTF-8 with no control character but tab, CR, LF and NUL, and a
 * peek, the delimiter's sniffing and the CSV reader on top never fail
 * otherwise than with an error. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/csv.h"
#include "leadboard/decode.h"

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

/* Valid UTF-8 (no overlong forms or surrogates), no C0 control but tab, CR,
 * LF and NUL, no DEL, no C1 control. */
static void check_text(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0) || c == 0x7F)
                abort();
            i++;
            continue;
        }
        size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (need == 0 || i + need > n)
            abort();
        uint32_t v = c & (0x7F >> need);
        for (size_t k = 1; k < need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                abort();
            v = (v << 6) | (s[i + k] & 0x3F);
        }
        static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (v < min[need] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
            (v >= 0x80 && v < 0xA0))
            abort();
        i += need;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const size_t chunks[] = {1, 2, 3, 7, 64, 4096, 65536, 65537};
    static const char *const encodings[] = {NULL,     NULL,        NULL,          NULL,
                                            "UTF-16", "SHIFT_JIS", "ISO-2022-JP", "UTF-8"};
    feed f = {data + 1, size - 1, 0, chunks[data[0] % 8]};
    lb_decoder *d;
    lb_err err;
    if (decode_open(feed_read, &f, encodings[(data[0] >> 3) % 8], "fuzz", &d, &err) != LB_OK)
        return 0;
    if (decode_start(d, &err) == LB_OK) {
        if (data[0] & 0x40) { /* read it all, checking the text */
            static char buf[70000];
            long k;
            size_t small = (data[0] & 0x80) ? 3 : sizeof buf;
            while ((k = decode_read(d, buf, small)) > 0) {
                if ((size_t)k > small)
                    abort();
                /* a read may end inside a character: check whole ones only
                 * when reading in big pieces */
                if (small == sizeof buf)
                    check_text((const unsigned char *)buf, (size_t)k);
            }
        } else { /* peek, sniff, and the CSV reader on top */
            const char *p;
            size_t n;
            bool eof;
            decode_peek(d, DECODE_PEEK_MAX, &p, &n, &eof);
            check_text((const unsigned char *)p, n > 65000 ? 0 : n);
            char delim = csv_sniff_delimiter(p, n, eof);
            if (delim != ',' && delim != ';' && delim != '\t' && delim != '|')
                abort();
            csv_reader *r = csv_open(decode_read, d);
            if (r) {
                csv_set_delimiter(r, delim);
                while (csv_next(r, &err) == 1)
                    ;
                csv_close(r);
            }
        }
    }
    decode_close(d);
    return 0;
}
