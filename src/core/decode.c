#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leadboard/decode.h"
#include "leadboard/text.h"

/* Raw bytes read ahead; the first RAW_CAP bytes also decide the encoding. */
#define RAW_CAP 65536
/* Decoded text: room for a whole peek plus the longest character. */
#define OUT_CAP (DECODE_PEEK_MAX + 8)
/* What the first character past ASCII is judged with (see run_utf8). */
#define LOOK_AHEAD 4096
/* iconv's output (UTF-32LE) before it is cleaned and encoded as UTF-8. */
#define WIDE_CAP 65536

typedef enum { M_UTF8, M_CP1252, M_U16LE, M_U16BE, M_U32LE, M_U32BE, M_ICONV } dmode;

/* What a run of the decoding loop stopped for. */
enum { R_FULL, R_NEED, R_SWITCH };

struct lb_decoder {
    csv_read_fn read;
    void *ud;
    char source[256];

    unsigned char raw[RAW_CAP];
    size_t rpos, rlen;
    bool eof, rerr;

    char out[OUT_CAP];
    size_t opos, olen;

    dmode mode;
    bool started, start_failed, finished;
    bool declared;  /* --encoding */
    bool utf8_sure; /* a BOM or a valid multibyte character: invalid bytes are mixed in */
    bool mixed;     /* a UTF-8 file with some Windows-1252 bytes */
    bool at_start;  /* nothing decoded yet: a U+FEFF there is a byte-order mark */
    iconv_t cd;
    bool flushed; /* iconv's end-of-input shift sequence written */
    unsigned char wide[WIDE_CAP];
    size_t wpos, wlen;

    long line; /* physical line of the next decoded character (iconv's errors) */
    bool prev_cr;
    bool bad; /* bytes not in the declared encoding */
    long bad_line;
    char bad_msg[LB_ERR_MAX];
    char enc[32];
    char given[24]; /* the name given with --encoding, upper case */
};

/* Windows-1252's characters for 0x80-0x9F (0: none); as C1 controls in
 * Unicode text these are almost always that text mislabelled. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The character a code point is passed on as: no control characters but
 * tab, CR and LF (NUL stays for the CSV reader to refuse as binary), no
 * surrogates or values past Unicode. */
static inline uint32_t clean_cp(uint32_t cp)
{
    if (cp < 0x20)
        return cp == '\t' || cp == '\n' || cp == '\r' || cp == 0 ? cp : ' ';
    if (cp == 0x7F)
        return ' ';
    if (cp >= 0x80 && cp < 0xA0)
        return cp1252_c1[cp - 0x80] ? cp1252_c1[cp - 0x80] : 0xFFFD;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0xFFFD;
    return cp;
}

/* ASCII bytes as clean_cp passes them. */
static const unsigned char ascii_clean[128] = {
    0x00, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x09, 0x0A, 0x20, 0x20, 0x0D, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F,
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x7B, 0x7C, 0x7D, 0x7E, 0x20,
};

/* Appends a decoded character (the caller made room for 4 bytes). */
static inline void emit(lb_decoder *d, uint32_t cp)
{
    if (d->at_start) {
        d->at_start = false;
        if (cp == 0xFEFF)
            return;
    }
    cp = clean_cp(cp);
    if (cp == '\n') {
        if (!d->prev_cr)
            d->line++;
    } else if (cp == '\r') {
        d->line++;
    }
    d->prev_cr = cp == '\r';
    d->olen += utf8_encode(cp, d->out + d->olen); /* cp is clean: never 0 bytes */
}

static size_t utf8_need(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Whether p[0..n) reads better as UTF-8 than as Windows-1252: more valid
 * multibyte characters than bytes that are not UTF-8 (a character cut at
 * the end counts for neither unless the input ends there). */
static bool utf8_likely(const unsigned char *p, size_t n, bool eof)
{
    size_t i = 0;
    long score = 0;
    uint32_t cp;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k) {
            score++;
            i += k;
            continue;
        }
        if (!eof && n - i < utf8_need(p[i]))
            break;
        score--;
        i++;
    }
    return score > 0;
}

static void set_enc(lb_decoder *d, const char *name)
{
    snprintf(d->enc, sizeof d->enc, "%s", name);
}

/* Reads more raw bytes after those not yet decoded (one read). */
static void fill_raw(lb_decoder *d)
{
    if (d->eof || d->rerr)
        return;
    if (d->rpos > 0) {
        memmove(d->raw, d->raw + d->rpos, d->rlen - d->rpos);
        d->rlen -= d->rpos;
        d->rpos = 0;
    }
    if (d->rlen == RAW_CAP)
        return;
    long k = d->read(d->ud, (char *)d->raw + d->rlen, RAW_CAP - d->rlen);
    if (k < 0)
        d->rerr = true;
    else if (k == 0)
        d->eof = true;
    else
        d->rlen += (size_t)k > RAW_CAP - d->rlen ? RAW_CAP - d->rlen : (size_t)k;
}

/* ---- the decoding loops: each stops when the output is full (R_FULL),
 * when it needs more input (R_NEED) or when it changed the mode ---- */

static int run_utf8(lb_decoder *d)
{
    const unsigned char *raw = d->raw;
    size_t i = d->rpos, end = d->rlen;
    int ret;
    for (;;) {
        if (OUT_CAP - d->olen < 4) {
            ret = R_FULL;
            break;
        }
        if (i == end) {
            ret = R_NEED;
            break;
        }
        unsigned char c = raw[i];
        if (c < 0x80) { /* the common case: a run of ASCII */
            size_t lim = end - i, room = OUT_CAP - d->olen;
            if (lim > room)
                lim = room;
            char *o = d->out + d->olen;
            size_t k = 0;
            while (k < lim && raw[i + k] < 0x80) {
                o[k] = (char)ascii_clean[raw[i + k]];
                k++;
            }
            if (k && d->at_start)
                d->at_start = false;
            i += k;
            d->olen += k;
            continue;
        }
        size_t need = utf8_need(c);
        if ((end - i < need || (!d->utf8_sure && end - i < LOOK_AHEAD)) && !d->eof) {
            /* more to look at: a whole character, or enough of what follows
             * the first one to tell UTF-8 from Windows-1252 */
            ret = R_NEED;
            break;
        }
        uint32_t cp;
        size_t k = utf8_decode(raw + i, end - i, &cp);
        if (k && !d->utf8_sure) {
            /* The first character past ASCII: what is read ahead must look
             * like UTF-8 too, else this is another encoding's pair of bytes
             * that happens to look like a UTF-8 character ("Ã©"). */
            if (!utf8_likely(raw + i, end - i, d->eof))
                k = 0;
            else
                d->utf8_sure = true;
        }
        if (k) {
            emit(d, cp);
            i += k;
            continue;
        }
        if (!d->utf8_sure) {
            /* Not UTF-8, and nothing but ASCII so far: the whole file is
             * Windows-1252 (which ASCII is a part of). */
            d->mode = M_CP1252;
            set_enc(d, DECODE_FALLBACK);
            ret = R_SWITCH;
            break;
        }
        if (!d->mixed) {
            d->mixed = true;
            set_enc(d, "UTF-8 and Windows-1252");
        }
        emit(d, c); /* clean_cp reads 0x80-0x9F as Windows-1252 */
        i++;
    }
    d->rpos = i;
    return ret;
}

static int run_cp1252(lb_decoder *d)
{
    while (d->rpos < d->rlen) {
        if (OUT_CAP - d->olen < 4)
            return R_FULL;
        emit(d, d->raw[d->rpos++]); /* Latin-1 but for 0x80-0x9F, as clean_cp reads them */
    }
    return R_NEED;
}

static int run_utf16(lb_decoder *d, bool le)
{
    for (;;) {
        if (OUT_CAP - d->olen < 4)
            return R_FULL;
        size_t have = d->rlen - d->rpos;
        const unsigned char *p = d->raw + d->rpos;
        if (have < 2) {
            if (have && d->eof) { /* an odd byte at the end */
                emit(d, 0xFFFD);
                d->rpos++;
                continue;
            }
            return R_NEED;
        }
        uint32_t u = le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : (uint32_t)p[0] << 8 | p[1];
        if (u >= 0xD800 && u < 0xDC00) {
            if (have < 4 && !d->eof)
                return R_NEED;
            uint32_t u2 = have < 4 ? 0
                          : le     ? (uint32_t)p[2] | (uint32_t)p[3] << 8
                                   : (uint32_t)p[2] << 8 | p[3];
            if (u2 >= 0xDC00 && u2 < 0xE000) {
                emit(d, 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00));
                d->rpos += 4;
                continue;
            }
            u = 0xFFFD; /* a high surrogate alone */
        } else if (u >= 0xDC00 && u < 0xE000) {
            u = 0xFFFD;
        }
        emit(d, u);
        d->rpos += 2;
    }
}

static int run_utf32(lb_decoder *d, bool le)
{
    for (;;) {
        if (OUT_CAP - d->olen < 4)
            return R_FULL;
        size_t have = d->rlen - d->rpos;
        const unsigned char *p = d->raw + d->rpos;
        if (have < 4) {
            if (have && d->eof) { /* a cut character at the end */
                emit(d, 0xFFFD);
                d->rpos = d->rlen;
                continue;
            }
            return R_NEED;
        }
        uint32_t u =
            le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24
               : (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
        emit(d, u); /* clean_cp turns what is not a character into U+FFFD */
        d->rpos += 4;
    }
}

static void iconv_fail(lb_decoder *d, const char *what)
{
    d->bad = true;
    d->bad_line = d->line;
    snprintf(d->bad_msg, sizeof d->bad_msg, "%s; is --encoding right? (iconv -l lists the names)",
             what);
}

static int run_iconv(lb_decoder *d)
{
    for (;;) {
        if (OUT_CAP - d->olen < 4)
            return R_FULL;
        if (d->wlen - d->wpos >= 4) {
            const unsigned char *p = d->wide + d->wpos;
            emit(d, (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                        (uint32_t)p[3] << 24);
            d->wpos += 4;
            continue;
        }
        d->wpos = d->wlen = 0;
        if (d->bad)
            return R_NEED;
        char *outp = (char *)d->wide;
        size_t outleft = WIDE_CAP;
        if (d->rpos == d->rlen) {
            if (!d->eof || d->flushed)
                return R_NEED;
            d->flushed = true; /* a stateful encoding's return to its initial state */
            iconv(d->cd, NULL, NULL, &outp, &outleft);
            d->wlen = WIDE_CAP - outleft;
            continue;
        }
        char *inp = (char *)d->raw + d->rpos;
        size_t inleft = d->rlen - d->rpos;
        size_t r = iconv(d->cd, &inp, &inleft, &outp, &outleft);
        int e = errno;
        d->rpos = d->rlen - inleft;
        d->wlen = WIDE_CAP - outleft;
        if (r != (size_t)-1 || e == E2BIG || d->wlen)
            continue;      /* what was converted first; an error comes back next time */
        if (e == EINVAL) { /* a character cut at the end of what was read */
            if (!d->eof)
                return R_NEED;
            char what[160];
            snprintf(what, sizeof what, "the file ends in the middle of a %s character", d->given);
            iconv_fail(d, what);
            return R_NEED;
        }
        if (d->rlen - d->rpos < 2 && !d->eof)
            return R_NEED; /* the next byte too, for the message */
        char what[200];
        const unsigned char *b = d->raw + d->rpos;
        size_t nb = d->rlen - d->rpos;
        if (nb >= 2)
            snprintf(what, sizeof what, "the bytes 0x%02X 0x%02X are not %s text", b[0], b[1],
                     d->given);
        else
            snprintf(what, sizeof what, "the byte 0x%02X is not %s text", b[0], d->given);
        iconv_fail(d, what);
        return R_NEED;
    }
}

/* Decodes into the output buffer until it is full or the input ends. */
static void convert(lb_decoder *d)
{
    if (d->opos > 0) {
        memmove(d->out, d->out + d->opos, d->olen - d->opos);
        d->olen -= d->opos;
        d->opos = 0;
    }
    for (;;) {
        int r;
        switch (d->mode) {
        case M_UTF8:
            r = run_utf8(d);
            break;
        case M_CP1252:
            r = run_cp1252(d);
            break;
        case M_U16LE:
        case M_U16BE:
            r = run_utf16(d, d->mode == M_U16LE);
            break;
        case M_U32LE:
        case M_U32BE:
            r = run_utf32(d, d->mode == M_U32LE);
            break;
        default:
            r = run_iconv(d);
            break;
        }
        if (r == R_FULL)
            return;
        if (r == R_SWITCH)
            continue;
        if (d->bad || d->rerr || d->eof) {
            d->finished = true;
            return;
        }
        fill_raw(d);
    }
}

/* ---- the start: what the file is ---- */

static const struct {
    const char *magic;
    size_t len;
    const char *what, *hint;
} magics[] = {
    {"PK\3\4", 4, "a ZIP archive (an .xlsx, .ods or .numbers spreadsheet?)",
     "save it as CSV (\"CSV UTF-8\") and import that"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an Office document (an .xls spreadsheet?)",
     "save it as CSV (\"CSV UTF-8\") and import that"},
    {"%PDF-", 5, "a PDF document", "export the data as CSV and import that"},
    {"SQLite format 3", 16, "an SQLite database", "export a table as CSV and import that"},
    {"\x1F\x8B", 2, "compressed (gzip)", "uncompress it and import the CSV inside"},
    {"\xFD"
     "7zXZ",
     6, "compressed (xz)", "uncompress it and import the CSV inside"},
    {"\x28\xB5\x2F\xFD", 4, "compressed (zstd)", "uncompress it and import the CSV inside"},
    {"BZh", 3, NULL, NULL}, /* checked below: "BZh" followed by a digit */
    {"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive", "extract it and import the CSV inside"},
    {"\x89PNG\r\n", 6, "a PNG image", "give the CSV file"},
    {"\xFF\xD8\xFF", 3, "a JPEG image", "give the CSV file"},
    {"GIF8", 4, "a GIF image", "give the CSV file"},
    {"\x7F"
     "ELF",
     4, "a program", "give the CSV file"},
};

static lb_status refuse(lb_decoder *d, lb_err *err, const char *what, const char *hint)
{
    d->start_failed = d->finished = true;
    return lb_fail(err, LB_EINVAL, "%s is %s, not CSV text; %s", d->source, what, hint);
}

/* UTF-16 or UTF-32 without a byte-order mark, from where its NUL bytes are:
 * the text of a CSV file is mostly ASCII (delimiters, digits, emails), whose
 * characters have a NUL high byte, at least every other one; elsewhere NUL
 * bytes are binary data. */
static dmode wide_guess(const unsigned char *p, size_t n)
{
    if (n > 4096)
        n = 4096;
    n -= n % 4;
    size_t q = n / 4, z[4] = {0, 0, 0, 0};
    if (q < 2)
        return M_UTF8;
    for (size_t i = 0; i < n; i++)
        if (!p[i])
            z[i % 4]++;
    if (z[3] == q && z[2] * 10 >= q * 9 && z[0] < q)
        return M_U32LE;
    if (z[0] == q && z[1] * 10 >= q * 9 && z[3] < q)
        return M_U32BE;
    size_t half = n / 2, odd = z[1] + z[3], even = z[0] + z[2];
    if (odd >= 2 && odd * 2 >= half && even * 50 <= half)
        return M_U16LE;
    if (even >= 2 && even * 2 >= half && odd * 50 <= half)
        return M_U16BE;
    return M_UTF8;
}

/* The encoding, from the first bytes; or a binary file refused. */
static lb_status detect(lb_decoder *d, lb_err *err)
{
    while (!d->eof && !d->rerr && d->rlen < RAW_CAP)
        fill_raw(d);
    if (d->rerr) {
        d->start_failed = d->finished = true;
        return lb_fail(err, LB_EINVAL, "cannot read %s", d->source);
    }
    const unsigned char *p = d->raw;
    size_t n = d->rlen;

    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        if (n < magics[i].len || memcmp(p, magics[i].magic, magics[i].len) != 0)
            continue;
        if (!magics[i].what) { /* bzip2: BZh1..BZh9 then the block magic */
            if (n >= 10 && p[3] >= '1' && p[3] <= '9' &&
                memcmp(p + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0)
                return refuse(d, err, "compressed (bzip2)",
                              "uncompress it and import the CSV inside");
            continue;
        }
        return refuse(d, err, magics[i].what, magics[i].hint);
    }
    if (d->declared) {
        d->mode = M_ICONV;
        return LB_OK;
    }

    static const struct {
        const char *bom;
        size_t len;
        dmode m;
        const char *name;
    } boms[] = {
        /* UTF-32LE's mark begins with UTF-16LE's: it comes first */
        {"\xFF\xFE\0\0", 4, M_U32LE, "UTF-32LE with BOM"},
        {"\0\0\xFE\xFF", 4, M_U32BE, "UTF-32BE with BOM"},
        {"\xEF\xBB\xBF", 3, M_UTF8, "UTF-8 with BOM"},
        {"\xFF\xFE", 2, M_U16LE, "UTF-16LE with BOM"},
        {"\xFE\xFF", 2, M_U16BE, "UTF-16BE with BOM"},
    };
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
        if (n >= boms[i].len && memcmp(p, boms[i].bom, boms[i].len) == 0) {
            d->mode = boms[i].m;
            d->rpos = boms[i].len;
            d->utf8_sure = true; /* a UTF-8 mark: a stray byte is mixed in, not the encoding */
            set_enc(d, boms[i].name);
            return LB_OK;
        }

    static const char *const guessed[] = {[M_U16LE] = "UTF-16LE without BOM",
                                          [M_U16BE] = "UTF-16BE without BOM",
                                          [M_U32LE] = "UTF-32LE without BOM",
                                          [M_U32BE] = "UTF-32BE without BOM"};
    dmode m = wide_guess(p, n);
    if (m != M_UTF8) {
        d->mode = m;
        set_enc(d, guessed[m]);
        return LB_OK;
    }

    size_t controls = 0;
    long line = 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == '\n' || (c == '\r' && (i + 1 == n || p[i + 1] != '\n')))
            line++;
        if (c == 0) {
            d->start_failed = d->finished = true;
            return lb_fail(err, LB_EINVAL,
                           "%s:%ld: a NUL byte: this is binary data, not CSV text; give a CSV "
                           "file (for UTF-16 text without a byte-order mark, say --encoding "
                           "UTF-16LE)",
                           d->source, line);
        }
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A)
            controls++;
    }
    if (controls >= 4 && controls * 20 > n)
        return refuse(d, err, "binary data (one byte in twenty is a control character)",
                      "give a CSV file");
    d->mode = M_UTF8;
    set_enc(d, "UTF-8");
    return LB_OK;
}

/* Address books and documents that are text but not CSV, known by how
 * they begin (after any spaces): refused with what to export instead of
 * being read as a file with one odd column. */
static const struct {
    const char *start, *what, *hint;
} text_formats[] = {
    {"BEGIN:VCARD", "a vCard address book (.vcf)", "export the address book as CSV"},
    {"dn:", "an LDIF address book (.ldif)", "export the address book as CSV"},
    {"version: 1", "an LDIF address book (.ldif)", "export the address book as CSV"},
    {"<?xml", "an XML document", "export the data as CSV"},
    {"<!DOCTYPE html", "a web page (HTML)", "save the table as CSV"},
    {"<html", "a web page (HTML)", "save the table as CSV"},
};

lb_status decode_start(lb_decoder *d, lb_err *err)
{
    if (d->started) {
        if (d->start_failed)
            return lb_fail(err, LB_EINVAL, "%s cannot be read", d->source);
        return LB_OK;
    }
    d->started = true;
    lb_status st = detect(d, err);
    if (st != LB_OK)
        return st;
    convert(d);
    const char *p = d->out + d->opos, *end = d->out + d->olen;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    for (size_t i = 0; i < sizeof text_formats / sizeof text_formats[0]; i++) {
        size_t n = strlen(text_formats[i].start);
        if ((size_t)(end - p) >= n && strncasecmp(p, text_formats[i].start, n) == 0)
            return refuse(d, err, text_formats[i].what, text_formats[i].hint);
    }
    /* JSON: an object, or a list of objects */
    const char *q = p;
    if (q < end && *q == '[')
        for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'); q++)
            ;
    if (q < end && *q == '{')
        return refuse(d, err, "JSON data", "export the data as CSV");
    return LB_OK;
}

/* ---- the interface ---- */

lb_status decode_check_encoding(const char *name, lb_err *err)
{
    iconv_t cd = name && *name ? iconv_open("UTF-32LE", name) : (iconv_t)-1;
    if (cd == (iconv_t)-1)
        return lb_fail(err, LB_EUSAGE,
                       "unknown encoding '%s'; give a name iconv knows, such as WINDOWS-1252, "
                       "ISO-8859-15, SHIFT_JIS or UTF-16LE ('iconv -l' lists them)",
                       name ? name : "");
    iconv_close(cd);
    return LB_OK;
}

lb_status decode_open(csv_read_fn read, void *ud, const char *encoding, const char *source,
                      lb_decoder **out, lb_err *err)
{
    *out = NULL;
    if (encoding && decode_check_encoding(encoding, err) != LB_OK)
        return LB_EUSAGE;
    lb_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return lb_fail(err, LB_EDB, "out of memory");
    d->read = read;
    d->ud = ud;
    snprintf(d->source, sizeof d->source, "%s", source ? source : "the input");
    d->cd = (iconv_t)-1;
    d->line = 1;
    d->at_start = true;
    if (encoding) {
        d->cd = iconv_open("UTF-32LE", encoding);
        if (d->cd == (iconv_t)-1) {
            free(d);
            return lb_fail(err, LB_EUSAGE, "unknown encoding '%s'", encoding);
        }
        d->declared = true;
        size_t i = 0;
        for (; encoding[i] && i + 1 < sizeof d->given; i++)
            d->given[i] = (char)toupper((unsigned char)encoding[i]);
        d->given[i] = '\0';
        snprintf(d->enc, sizeof d->enc, "%s (given)", d->given);
    }
    *out = d;
    return LB_OK;
}

void decode_close(lb_decoder *d)
{
    if (!d)
        return;
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    free(d);
}

long decode_read(void *ud, char *buf, size_t n)
{
    lb_decoder *d = ud;
    if (!d->started && decode_start(d, NULL) != LB_OK)
        return -1;
    if (d->start_failed)
        return -1;
    while (d->opos == d->olen) {
        if (d->finished)
            return d->bad || d->rerr ? -1 : 0;
        convert(d);
    }
    size_t k = d->olen - d->opos;
    if (k > n)
        k = n;
    memcpy(buf, d->out + d->opos, k);
    d->opos += k;
    return (long)k;
}

void decode_peek(lb_decoder *d, size_t want, const char **p, size_t *n, bool *eof)
{
    if (!d->started)
        decode_start(d, NULL);
    if (want > DECODE_PEEK_MAX)
        want = DECODE_PEEK_MAX;
    while (!d->start_failed && !d->finished && d->olen - d->opos < want)
        convert(d);
    *p = d->out + d->opos;
    *n = d->olen - d->opos;
    if (eof)
        *eof = d->finished && !d->bad && !d->rerr;
}

const char *decode_encoding(const lb_decoder *d)
{
    return d->enc[0] ? d->enc : "UTF-8";
}

bool decode_error(const lb_decoder *d, lb_err *err, long *line)
{
    if (!d || !d->bad)
        return false;
    lb_fail(err, LB_EINVAL, "%s", d->bad_msg);
    if (line)
        *line = d->bad_line;
    return true;
}
