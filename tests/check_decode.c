/* decode.h: every byte-order mark, UTF-16 surrogates, invalid sequences, the
 * Windows-1252 fallback, control characters, iconv's encodings and binary
 * files, each fed in reads of every size and drained in small reads; and
 * csv.h's delimiter: sniffing (quotes respected), parsing, reading. */
#include "config.h"

#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/csv.h"
#include "leadboard/decode.h"
#include "leadboard/status.h"

#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct {
    const char *p;
    size_t len, pos;
    size_t first, chunk; /* the first read's size (0: chunk), then chunk */
    bool fail;           /* a read error at the end */
} feed;

static long feed_read(void *ud, char *buf, size_t n)
{
    feed *f = ud;
    size_t k = f->len - f->pos;
    if (k == 0 && f->fail)
        return -1;
    size_t lim = f->pos == 0 && f->first ? f->first : f->chunk;
    if (k > lim)
        k = lim;
    if (k > n)
        k = n;
    memcpy(buf, f->p + f->pos, k);
    f->pos += k;
    return (long)k;
}

/* Decodes in whole with the input fed `first` bytes, then `chunk` at a time,
 * and drained `out_chunk` bytes at a time.  Returns the text (malloc'd,
 * NUL-terminated, its length in *outlen) or NULL when the start refused the
 * input (its message in err); *rc is the last decode_read's result. */
static char *decode_all(const char *in, size_t len, const char *encoding, size_t first,
                        size_t chunk, size_t out_chunk, size_t *outlen, char *enc, long *rc,
                        lb_err *err)
{
    feed f = {in, len, 0, first, chunk, false};
    lb_decoder *d;
    ck_assert_int_eq(decode_open(feed_read, &f, encoding, "test.csv", &d, err), LB_OK);
    if (decode_start(d, err) != LB_OK) {
        decode_close(d);
        return NULL;
    }
    size_t cap = len * 4 + 16, n = 0;
    char *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    long k;
    while ((k = decode_read(d, out + n, out_chunk < cap - n ? out_chunk : cap - n)) > 0) {
        n += (size_t)k;
        ck_assert_uint_lt(n, cap);
    }
    out[n] = '\0';
    *outlen = n;
    *rc = k;
    if (enc)
        snprintf(enc, 32, "%s", decode_encoding(d));
    if (k < 0) {
        long line = 0;
        if (decode_error(d, err, &line))
            snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg), " @%ld",
                     line);
    }
    decode_close(d);
    return out;
}

static const size_t chunks[] = {1, 2, 3, 5, 7, 65536};

/* Expects in to decode to want (want_len bytes) under every way of feeding
 * and draining it, with that encoding name. */
static void expect_decoded(const char *in, size_t len, const char *encoding, const char *want,
                           size_t want_len, const char *want_enc)
{
    for (int c = 0; c < N(chunks); c++)
        for (size_t oc = 1; oc <= 65536; oc = oc < 4 ? oc + 1 : oc * 128) {
            size_t n;
            long rc;
            char enc[32];
            lb_err err = {0};
            char *out = decode_all(in, len, encoding, 0, chunks[c], oc, &n, enc, &rc, &err);
            ck_assert_msg(out != NULL, "refused: %s", err.msg);
            ck_assert_int_eq(rc, 0);
            ck_assert_msg(n == want_len && memcmp(out, want, n) == 0,
                          "chunk %zu/%zu: got %zu bytes '%s', want '%s'", chunks[c], oc, n, out,
                          want);
            ck_assert_str_eq(enc, want_enc);
            free(out);
        }
}

#define S(lit) lit, sizeof(lit) - 1
#define EXPECT(in, enc, want, name)                                                                \
    expect_decoded(in, sizeof(in) - 1, enc, want, strlen(want), name)

/* "Name,Émile 😀\n" in each encoding */
#define TEXT_UTF8 "Name,\xC3\x89mile \xF0\x9F\x98\x80\n"

START_TEST(boms)
{
    EXPECT("\xEF\xBB\xBF" TEXT_UTF8, NULL, TEXT_UTF8, "UTF-8 with BOM");
    EXPECT(TEXT_UTF8, NULL, TEXT_UTF8, "UTF-8");
    EXPECT("\xFF\xFE"
           "N\0a\0m\0e\0,\0\xC9\0m\0i\0l\0e\0 \0\x3D\xD8\x00\xDE\n\0",
           NULL, TEXT_UTF8, "UTF-16LE with BOM");
    EXPECT("\xFE\xFF"
           "\0N\0a\0m\0e\0,\0\xC9\0m\0i\0l\0e\0 \xD8\x3D\xDE\x00\0\n",
           NULL, TEXT_UTF8, "UTF-16BE with BOM");
    EXPECT("\xFF\xFE\0\0"
           "N\0\0\0a\0\0\0m\0\0\0e\0\0\0,\0\0\0\xC9\0\0\0m\0\0\0i\0\0\0l\0\0\0e\0\0\0 "
           "\0\0\0\x00\xF6\x01\0\n\0\0\0",
           NULL, TEXT_UTF8, "UTF-32LE with BOM");
    EXPECT("\0\0\xFE\xFF"
           "\0\0\0N\0\0\0a\0\0\0m\0\0\0e\0\0\0,\0\0\0\xC9\0\0\0m\0\0\0i\0\0\0l\0\0\0e\0\0\0 "
           "\0\x01\xF6\x00\0\0\0\n",
           NULL, TEXT_UTF8, "UTF-32BE with BOM");
}
END_TEST

START_TEST(wide_without_bom)
{
    /* a U+FEFF past the start is text, not a mark */
    EXPECT("a\xEF\xBB\xBF\xC3\xA9", NULL, "a\xEF\xBB\xBF\xC3\xA9", "UTF-8");
    EXPECT("\xFF\xFEx\0\xFF\xFE", NULL, "x\xEF\xBB\xBF", "UTF-16LE with BOM");
    EXPECT("N\0a\0m\0e\0,\0E\0m\0a\0i\0l\0\n\0A\0n\0a\0,\0a\0@\0x\0\n\0", NULL,
           "Name,Email\nAna,a@x\n", "UTF-16LE without BOM");
    EXPECT("\0N\0a\0m\0e\0,\0E\0m\0a\0i\0l\0\n\0A\0n\0a\0,\0a\0@\0x\0\n", NULL,
           "Name,Email\nAna,a@x\n", "UTF-16BE without BOM");
    EXPECT("N\0\0\0a\0\0\0m\0\0\0e\0\0\0\n\0\0\0", NULL, "Name\n", "UTF-32LE without BOM");
}
END_TEST

START_TEST(surrogates)
{
    /* a pair; a high one alone before ASCII; a low one alone; a high one
     * at the very end; an odd byte at the end */
    EXPECT("\xFF\xFE\x3D\xD8\x00\xDEx\0", NULL, "\xF0\x9F\x98\x80x", "UTF-16LE with BOM");
    EXPECT("\xFF\xFE\x3D\xD8x\0", NULL, "\xEF\xBF\xBDx", "UTF-16LE with BOM");
    EXPECT("\xFF\xFE\x00\xDEx\0", NULL, "\xEF\xBF\xBDx", "UTF-16LE with BOM");
    EXPECT("\xFF\xFEx\0\x3D\xD8", NULL, "x\xEF\xBF\xBD", "UTF-16LE with BOM");
    EXPECT("\xFE\xFF\0x\0", NULL, "x\xEF\xBF\xBD", "UTF-16BE with BOM");
    /* two pairs in a row, big-endian */
    EXPECT("\xFE\xFF\xD8\x3D\xDE\x00\xD8\x3D\xDE\x01", NULL, "\xF0\x9F\x98\x80\xF0\x9F\x98\x81",
           "UTF-16BE with BOM");
    /* UTF-32: a surrogate, past U+10FFFF, a cut last character */
    EXPECT("\xFF\xFE\0\0\x00\xD8\0\0x\0\0\0\0\0\x11\0y\0", NULL,
           "\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD", "UTF-32LE with BOM");
}
END_TEST

START_TEST(windows_1252_fallback)
{
    /* not UTF-8, nothing said: Windows-1252 from the first byte on */
    EXPECT("Name\nRen\xE9 \x80 \x93q\x94\n", NULL,
           "Name\nRen\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D\n",
           "Windows-1252 (not UTF-8)");
    /* a pair that looks like UTF-8 (Ã©) with Windows-1252 after it: the
     * look ahead says the file is not UTF-8 */
    EXPECT("A\xC3\xA9,B\xE9\n", NULL, "A\xC3\x83\xC2\xA9,B\xC3\xA9\n", "Windows-1252 (not UTF-8)");
    /* overlong forms and surrogates are not UTF-8 either */
    EXPECT("a\xC0\xAF\n", NULL, "a\xC3\x80\xC2\xAF\n", "Windows-1252 (not UTF-8)");
    EXPECT("a\xED\xA0\x80\n", NULL, "a\xC3\xAD\xC2\xA0\xE2\x82\xAC\n", "Windows-1252 (not UTF-8)");
    /* Windows-1252's five holes */
    EXPECT("\x81\x8D\x8F\x90\x9D\xFF", NULL,
           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xC3\xBF",
           "Windows-1252 (not UTF-8)");
    /* as many bytes that are not UTF-8 as characters that are: not UTF-8 */
    EXPECT("\xC3\xA9\n\xC3", NULL, "\xC3\x83\xC2\xA9\n\xC3\x83", "Windows-1252 (not UTF-8)");
    /* more characters that are: UTF-8 with a stray byte (here a cut
     * character at the end) */
    EXPECT("\xC3\xA9\xC3\xA9\n\xC3", NULL, "\xC3\xA9\xC3\xA9\n\xC3\x83", "UTF-8 and Windows-1252");
}
END_TEST

START_TEST(mixed_utf8)
{
    /* UTF-8 first, then a stray Windows-1252 byte further than the look
     * ahead: that byte alone is read as Windows-1252 */
    size_t pad = 200000;
    char *in = malloc(pad + 16), *want = malloc(pad + 16);
    memcpy(in, "\xC3\xA9\n", 3);
    memset(in + 3, 'x', pad);
    memcpy(in + 3 + pad, "\xE9\n", 2);
    memcpy(want, in, 3 + pad);
    memcpy(want + 3 + pad, "\xC3\xA9\n", 3);
    for (int c = 0; c < N(chunks); c++) {
        if (chunks[c] < 5)
            continue; /* slow and nothing more to learn */
        size_t n;
        long rc;
        char enc[32];
        lb_err err = {0};
        char *out = decode_all(in, pad + 5, NULL, 0, chunks[c], 4096, &n, enc, &rc, &err);
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(n, pad + 6);
        ck_assert(memcmp(out, want, n) == 0);
        ck_assert_str_eq(enc, "UTF-8 and Windows-1252");
        free(out);
    }
    /* the first pair that looks like UTF-8 at the very end of what was read
     * first: more is read to judge it by */
    memset(in, 'x', 65534);
    memcpy(in + 65534, "\xC3\xA9 \xE9\n", 5);
    {
        size_t n;
        long rc;
        char enc[32];
        lb_err err = {0};
        char *out = decode_all(in, 65539, NULL, 0, 65536, 65536, &n, enc, &rc, &err);
        ck_assert_ptr_nonnull(out);
        ck_assert_str_eq(enc, "Windows-1252 (not UTF-8)");
        ck_assert_uint_eq(n, 65534 + 8);
        ck_assert(memcmp(out + 65534, "\xC3\x83\xC2\xA9 \xC3\xA9\n", 8) == 0);
        free(out);
    }
    /* with a UTF-8 mark the file is UTF-8 whatever comes */
    EXPECT("\xEF\xBB\xBFRen\xE9\n", NULL, "Ren\xC3\xA9\n", "UTF-8 and Windows-1252");
    free(in);
    free(want);
}
END_TEST

START_TEST(controls)
{
    /* tab, CR, LF kept; ESC, BEL, DEL and the others a space; C1 controls
     * the Windows-1252 characters they were; NUL left for the reader */
    EXPECT("a\tb\r\nc\x1B[31md\x07\x7F\n", NULL, "a\tb\r\nc [31md  \n", "UTF-8");
    EXPECT("it\xC2\x92s \xC2\x9B\xC2\x81\n", NULL, "it\xE2\x80\x99s \xE2\x80\xBA\xEF\xBF\xBD\n",
           "UTF-8");
    EXPECT("\xFF\xFE\x1B\0[\0\x9B\0x\0", NULL, " [\xE2\x80\xBAx", "UTF-16LE with BOM");
}
END_TEST

START_TEST(nul_in_utf16_kept)
{
    /* the NUL code unit comes through as a NUL byte (the CSV reader refuses
     * it with its line) */
    const char in[] = "\xFF\xFE"
                      "a\0\0\0b\0";
    size_t n;
    long rc;
    lb_err err = {0};
    char *out = decode_all(in, sizeof in - 1, NULL, 0, 3, 100, &n, NULL, &rc, &err);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(n, 3);
    ck_assert(memcmp(out, "a\0b", 3) == 0);
    free(out);
}
END_TEST

START_TEST(split_everywhere)
{
    /* every encoding, the input split in two at every byte */
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        {S("\xEF\xBB\xBF" TEXT_UTF8), TEXT_UTF8},
        {S("\xFF\xFE"
           "N\0a\0m\0e\0,\0\xC9\0m\0i\0l\0e\0 \0\x3D\xD8\x00\xDE\n\0"),
         TEXT_UTF8},
        {S("\0\0\xFE\xFF"
           "\0\0\0N\0\0\0a\0\0\0m\0\0\0e\0\0\0,\0\0\0\xC9\0\0\0m\0\0\0i\0\0\0l\0\0\0e\0\0\0 "
           "\0\x01\xF6\x00\0\0\0\n"),
         TEXT_UTF8},
        {S("Ren\xE9,\x93q\x94\n"), "Ren\xC3\xA9,\xE2\x80\x9Cq\xE2\x80\x9D\n"},
        {S("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"), "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z"},
    };
    for (int i = 0; i < N(cases); i++)
        for (size_t cut = 1; cut < cases[i].len; cut++) {
            size_t n;
            long rc;
            lb_err err = {0};
            char *out =
                decode_all(cases[i].in, cases[i].len, NULL, cut, 65536, 65536, &n, NULL, &rc, &err);
            ck_assert_ptr_nonnull(out);
            ck_assert_msg(n == strlen(cases[i].want) && memcmp(out, cases[i].want, n) == 0,
                          "case %d cut at %zu: '%s'", i, cut, out);
            free(out);
        }
}
END_TEST

START_TEST(large)
{
    /* more than the buffers hold, a multibyte character on every boundary */
    size_t len = 300000;
    char *in = malloc(len + 1);
    for (size_t i = 0; i < len;) {
        if (i % 997 == 0 && i + 2 <= len) {
            memcpy(in + i, "\xC3\xA9", 2);
            i += 2;
        } else {
            in[i] = (char)('a' + i % 26);
            i++;
        }
    }
    in[len] = '\0';
    size_t n;
    long rc;
    char enc[32];
    lb_err err = {0};
    for (size_t oc = 1000; oc <= 70000; oc *= 7) {
        char *out = decode_all(in, len, NULL, 0, 65536, oc, &n, enc, &rc, &err);
        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(n, len);
        ck_assert(memcmp(out, in, len) == 0);
        ck_assert_str_eq(enc, "UTF-8");
        free(out);
    }
    free(in);
}
END_TEST

/* Text past the first RAW_CAP bytes, read a few bytes at a time, so that
 * characters are cut across reads in the middle of the stream, in every
 * encoding (the input side made with iconv). */
START_TEST(stream_cut_characters)
{
    static const struct {
        const char *iconv_name, *bom, *encoding, *want_enc;
        size_t bom_len;
    } encs[] = {
        {"UTF-8", "\xC3\xA9", NULL, "UTF-8", 2}, /* a first é: surely UTF-8 */
        {"UTF-16LE", "\xFF\xFE", NULL, "UTF-16LE with BOM", 2},
        {"UTF-16BE", "\xFE\xFF", NULL, "UTF-16BE with BOM", 2},
        {"UTF-32LE", "\xFF\xFE\0\0", NULL, "UTF-32LE with BOM", 4},
        {"UTF-32BE", "\0\0\xFE\xFF", NULL, "UTF-32BE with BOM", 4},
        {"WINDOWS-1252", "", NULL, "Windows-1252 (not UTF-8)", 0},
        {"SHIFT_JIS", "", "SHIFT_JIS", "SHIFT_JIS (given)", 0},
    };
    /* 70,000 bytes or more of lines with characters of every length */
    const char *line_any = "Ana,\xC3\x89mile \xE2\x82\xAC \xF0\x9F\x98\x80\r\n";
    const char *line_1252 = "Ana,\xC3\x89mile \xE2\x82\xAC \xC5\x93\r\n";
    const char *line_sjis = "Ana,\xE5\xB1\xB1\xE7\x94\xB0 \xE6\x9D\xB1\r\n";
    for (int e = 0; e < N(encs); e++) {
        const char *line = e == 5 ? line_1252 : e == 6 ? line_sjis : line_any;
        size_t ll = strlen(line), nlines = 70000 / ll + 1;
        char *text = malloc(nlines * ll + 8);
        size_t tl = 0;
        if (e == 0) {
            memcpy(text, "\xC3\xA9", 2);
            tl = 2;
        }
        for (size_t i = 0; i < nlines; i++, tl += ll)
            memcpy(text + tl, line, ll);
        /* the input: the BOM, then the text in that encoding */
        iconv_t cd = iconv_open(encs[e].iconv_name, "UTF-8");
        ck_assert(cd != (iconv_t)-1);
        size_t cap = tl * 4 + 8, inleft = tl, outleft = cap - encs[e].bom_len;
        char *in = malloc(cap), *ip = text, *op = in + encs[e].bom_len;
        memcpy(in, encs[e].bom, encs[e].bom_len);
        if (e == 0) { /* the é is the text's own, not a mark */
            op = in;
            outleft = cap;
        }
        ck_assert(iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1);
        iconv_close(cd);
        size_t inlen = (size_t)(op - in);
        for (size_t chunk = 1; chunk <= 7; chunk += 2) {
            size_t n;
            long rc;
            char enc[32];
            lb_err err = {0};
            char *out =
                decode_all(in, inlen, encs[e].encoding, 65536, chunk, 65536, &n, enc, &rc, &err);
            ck_assert_msg(out != NULL, "%s: %s", encs[e].iconv_name, err.msg);
            ck_assert_int_eq(rc, 0);
            ck_assert_msg(n == tl && memcmp(out, text, tl) == 0, "%s in reads of %zu",
                          encs[e].iconv_name, chunk);
            ck_assert_str_eq(enc, encs[e].want_enc);
            free(out);
        }
        free(in);
        free(text);
    }
}
END_TEST

START_TEST(binary_refused)
{
    static const struct {
        const char *in;
        size_t len;
        const char *says;
    } cases[] = {
        {"PK\3\4\x14\0\6\0", 8, "a ZIP archive (an .xlsx"},
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, "an Office document"},
        {"%PDF-1.7\n%\xE2\xE3", 12, "a PDF document"},
        {"\x1F\x8B\x08\0", 4, "compressed (gzip)"},
        {"SQLite format 3\0\x10\0", 18, "an SQLite database"},
        {"\x7F"
         "ELF\2\1\1\0\0\0",
         10, "a program"},
        {"Name,Email\nAna\0,a@x\n", 20, "test.csv:2: a NUL byte: this is binary data"},
        {"a\r\nb\rc\n\0", 8, "test.csv:4: a NUL byte"},
        {"\x01\x02\x03\x04xyzw", 8, "one byte in twenty is a control character"},
    };
    for (int i = 0; i < N(cases); i++) {
        size_t n;
        long rc;
        lb_err err = {0};
        char *out = decode_all(cases[i].in, cases[i].len, NULL, 0, 1, 100, &n, NULL, &rc, &err);
        ck_assert_msg(out == NULL, "case %d read as text", i);
        ck_assert_int_eq(err.status, LB_EINVAL);
        ck_assert_msg(strstr(err.msg, cases[i].says) != NULL, "case %d: %s", i, err.msg);
        ck_assert_msg(strncmp(err.msg, "test.csv", 8) == 0, "%s", err.msg);
        ck_assert(strchr(err.msg, '\n') == NULL);
    }
    /* text that is not CSV, in any encoding */
    static const struct {
        const char *in;
        size_t len;
        const char *says;
    } texts[] = {
        {S("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n"), "a vCard address book"},
        {S("\xFF\xFE"
           "b\0e\0g\0i\0n\0:\0v\0c\0a\0r\0d\0\n\0"),
         "a vCard address book"},
        {S("version: 1\ndn: cn=Ana,mail=a@x\n"), "an LDIF address book"},
        {S("\n  <?xml version=\"1.0\"?><contacts/>"), "an XML document"},
        {S("<!doctype html><table>"), "a web page (HTML)"},
        {S("[\n  {\"name\": \"Ana\", \"email\": \"a@x.test\"}\n]\n"), "JSON data"},
        {S("{\"name\":\"Ana\"}\n{\"name\":\"Bo\"}\n"), "JSON data"},
    };
    for (int i = 0; i < N(texts); i++) {
        size_t n;
        long rc;
        lb_err err = {0};
        char *out = decode_all(texts[i].in, texts[i].len, NULL, 0, 2, 100, &n, NULL, &rc, &err);
        ck_assert_msg(out == NULL, "text %d read as CSV", i);
        ck_assert_msg(strstr(err.msg, texts[i].says) != NULL, "text %d: %s", i, err.msg);
        ck_assert_ptr_nonnull(strstr(err.msg, "as CSV"));
    }
    /* a CSV file whose first column merely starts so */
    EXPECT("dna,Name\n", NULL, "dna,Name\n", "UTF-8");
    /* text that merely starts like a magic: "BZh" not followed by bzip2's */
    EXPECT("BZh,Name\n", NULL, "BZh,Name\n", "UTF-8");
    /* a form feed, a vertical tab and DOS's end-of-file mark are text */
    EXPECT("a\fb\vc\n\x1A", NULL, "a b c\n ", "UTF-8");
}
END_TEST

START_TEST(nul_later_refused_by_the_reader)
{
    /* past the bytes the start looks at, a NUL reaches the CSV reader,
     * which refuses it with its line */
    size_t rows = 20000;
    size_t len = 0;
    char *in = malloc(rows * 8 + 16);
    len += (size_t)sprintf(in, "Name\n");
    for (size_t i = 0; i < rows; i++)
        len += (size_t)sprintf(in + len, "r%05zu\n", i);
    in[len - 3] = '\0';
    feed f = {in, len, 0, 0, 4096, false};
    lb_decoder *d;
    lb_err err = {0};
    ck_assert_int_eq(decode_open(feed_read, &f, NULL, "t", &d, &err), LB_OK);
    ck_assert_int_eq(decode_start(d, &err), LB_OK);
    csv_reader *r = csv_open(decode_read, d);
    int k;
    while ((k = csv_next(r, &err)) == 1)
        ;
    ck_assert_int_eq(k, -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte"));
    ck_assert_int_eq(csv_error_line(r), (long)rows + 1);
    csv_close(r);
    decode_close(d);
    free(in);
}
END_TEST

START_TEST(iconv_encodings)
{
    /* 山田,東京 in Shift_JIS */
    EXPECT("Name,City\n\x8E\x52\x93\x63,\x93\x8C\x8B\x9E\n", "SHIFT_JIS",
           "Name,City\n\xE5\xB1\xB1\xE7\x94\xB0,\xE6\x9D\xB1\xE4\xBA\xAC\n", "SHIFT_JIS (given)");
    EXPECT("caf\xE9 \xA4\n", "iso-8859-15", "caf\xC3\xA9 \xE2\x82\xAC\n", "ISO-8859-15 (given)");
    /* UTF-16 named: iconv takes the mark; UTF-16LE named with a mark: the
     * mark is not text */
    EXPECT("\xFF\xFEx\0\n\0", "UTF-16", "x\n", "UTF-16 (given)");
    EXPECT("\xFF\xFEx\0\n\0", "UTF-16LE", "x\n", "UTF-16LE (given)");
    /* a stateful encoding, its escapes split across reads */
    EXPECT("\x1B$B;3ED\x1B(B,x\n", "ISO-2022-JP", "\xE5\xB1\xB1\xE7\x94\xB0,x\n",
           "ISO-2022-JP (given)");
    /* controls are cleaned after iconv as well */
    EXPECT("a\x1B"
           "b\n",
           "ISO-8859-1", "a b\n", "ISO-8859-1 (given)");
}
END_TEST

START_TEST(iconv_bad_bytes)
{
    /* bytes that are not Shift_JIS: an error naming them and their line,
     * after the text before them */
    const char in[] = "Name\nA\n\"B\r\nC\"\r\nD\xFD\xFD\n";
    for (int c = 0; c < N(chunks); c++) {
        size_t n;
        long rc;
        lb_err err = {0};
        char *out =
            decode_all(in, sizeof in - 1, "SHIFT_JIS", 0, chunks[c], 3, &n, NULL, &rc, &err);
        ck_assert_ptr_nonnull(out);
        ck_assert_int_eq(rc, -1);
        ck_assert_str_eq(out, "Name\nA\n\"B\r\nC\"\r\nD");
        ck_assert_msg(strcmp(err.msg, "the bytes 0xFD 0xFD are not SHIFT_JIS text; is --encoding "
                                      "right? (iconv -l lists the names) @5") == 0,
                      "%s", err.msg);
        free(out);
    }
    /* the file ends inside a character */
    size_t n;
    long rc;
    lb_err err = {0};
    char *out = decode_all("ab\x8E", 3, "SHIFT_JIS", 0, 1, 10, &n, NULL, &rc, &err);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "ends in the middle of a SHIFT_JIS character"));
    free(out);
}
END_TEST

START_TEST(unknown_encoding)
{
    lb_err err = {0};
    lb_decoder *d = NULL;
    ck_assert_int_eq(decode_check_encoding("NO-SUCH-ENCODING", &err), LB_EUSAGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "unknown encoding 'NO-SUCH-ENCODING'"));
    ck_assert_int_eq(decode_check_encoding("", &err), LB_EUSAGE);
    ck_assert_int_eq(decode_open(feed_read, NULL, "NO-SUCH", "t", &d, &err), LB_EUSAGE);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(decode_check_encoding("windows-1252", &err), LB_OK);
}
END_TEST

START_TEST(read_error)
{
    feed f = {"Name\nAna\n", 9, 0, 0, 4, true};
    lb_decoder *d;
    lb_err err = {0};
    ck_assert_int_eq(decode_open(feed_read, &f, NULL, "t", &d, &err), LB_OK);
    ck_assert_int_ne(decode_start(d, &err), LB_OK);
    char buf[16];
    ck_assert_int_eq(decode_read(d, buf, sizeof buf), -1);
    ck_assert(!decode_error(d, &err, NULL));
    decode_close(d);
}
END_TEST

START_TEST(peek_then_read)
{
    /* what is peeked is read again, whole */
    const char in[] = "\xFF\xFE"
                      "a\0;\0b\0\n\0";
    feed f = {in, sizeof in - 1, 0, 0, 1, false};
    lb_decoder *d;
    lb_err err = {0};
    ck_assert_int_eq(decode_open(feed_read, &f, NULL, "t", &d, &err), LB_OK);
    const char *p;
    size_t n;
    bool eof;
    decode_peek(d, DECODE_PEEK_MAX, &p, &n, &eof);
    ck_assert_uint_eq(n, 4);
    ck_assert(memcmp(p, "a;b\n", 4) == 0);
    ck_assert(eof);
    ck_assert_int_eq(csv_sniff_delimiter(p, n, eof), ';');
    char buf[16];
    ck_assert_int_eq(decode_read(d, buf, 2), 2);
    ck_assert_int_eq(decode_read(d, buf + 2, sizeof buf - 2), 2);
    ck_assert(memcmp(buf, "a;b\n", 4) == 0);
    ck_assert_int_eq(decode_read(d, buf, sizeof buf), 0);
    decode_close(d);
}
END_TEST

/* ---- the delimiter ---- */

static const struct {
    const char *text;
    bool eof;
    char want;
} sniffs[] = {
    {"Name,Email,Company\nAna,a@x,Acme\n", true, ','},
    {"Name;Email;Company\nAna;a@x;Acme\n", true, ';'},
    {"Name\tEmail\tCompany\nAna\ta@x\tAcme, Inc.\n", true, '\t'},
    {"Name|Email\nAna|a@x\n", true, '|'},
    /* every field quoted, the other candidates inside the quotes */
    {"\"First Name\";\"Company\";\"Amount\"\r\n\"Ana\";\"Acme, Inc.\";\"12.500,00\"\r\n", true,
     ';'},
    {"\"Name\",\"Notes\"\n\"Ana\",\"a;b;c|d\"\n\"Bo\",\"x;y\"\n", true, ','},
    {"\"a;b\",\"c;d\"\n\"e;f\",\"g\"\n", true, ','},
    /* unquoted decimal commas in a ';' file: ',' splits the rows in two,
     * ';' splits every line, the header too, in three */
    {"Name;Company;Amount\nAna;Acme;12,50\nBo;Globex;7,25\nCy;Initech;1,00\n", true, ';'},
    /* a preamble above the header */
    {"Invoice Ninja\nClients\nExported: 2026-11-20\n\nName,Email,Phone\nAna,a@x,1\nBo,b@x,2\n",
     true, ','},
    /* a preamble with quotes, which no delimiter splits well, and few rows */
    {"\"Leads\" report\nBy \"Sales\" team\nOn \"Monday\"\nName;Email;Phone\nAna;a@x;1\n", true,
     ';'},
    /* quoted line breaks */
    {"Name;Notes\nAna;\"line 1\nline 2, and more\"\nBo;\"x\"\n", true, ';'},
    /* ';' would split a header in seven, but no row after it */
    {"A;B;C;D;E;F;G,H\n\"x;1;2;3\",y\n\"z;4;5;6\",w\n", true, ','},
    /* one column: the default */
    {"Name\nAna\nBo\n", true, ','},
    {"", true, ','},
    /* the sample cut inside a record: the records before it decide */
    {"Name|Notes\nAna|x\nBo|\"a long note, cut", false, '|'},
    /* a closing quote at the sample's end, "" cut in two or not */
    {"a;b\n\"x\"", false, ';'},
};

START_TEST(sniff)
{
    char got = csv_sniff_delimiter(sniffs[_i].text, strlen(sniffs[_i].text), sniffs[_i].eof);
    ck_assert_msg(got == sniffs[_i].want, "case %d: got '%c', want '%c'", _i, got, sniffs[_i].want);
}
END_TEST

START_TEST(delimiter_parse)
{
    static const struct {
        const char *s;
        char want; /* 0: refused */
    } cases[] = {
        {",", ','},    {";", ';'}, {"|", '|'},         {"tab", '\t'}, {"\t", '\t'},
        {"\\t", '\t'}, {":", ':'}, {"semicolon", ';'}, {"pipe", '|'}, {"comma", ','},
        {"\"", 0},     {"a", 0},   {"7", 0},           {"", 0},       {";;", 0},
        {" ", 0},      {"\n", 0},  {"\xC3\xA9", 0},
    };
    for (int i = 0; i < N(cases); i++) {
        char d = 0;
        lb_err err = {0};
        lb_status st = csv_delimiter_parse(cases[i].s, &d, &err);
        if (cases[i].want) {
            ck_assert_msg(st == LB_OK && d == cases[i].want, "case %d", i);
        } else {
            ck_assert_msg(st == LB_EUSAGE, "case %d accepted", i);
            ck_assert_ptr_nonnull(strstr(err.msg, "--delimiter"));
        }
    }
    char buf[4];
    ck_assert_str_eq(csv_delimiter_name('\t', buf), "tab");
    ck_assert_str_eq(csv_delimiter_name(';', buf), ";");
}
END_TEST

START_TEST(sep_line)
{
    static const struct {
        const char *text;
        bool eof;
        size_t len; /* 0: none */
        char delim;
    } cases[] = {
        {"sep=;\r\nName;Email\r\n", true, 7, ';'},
        {"sep=|\nName|Email\n", true, 6, '|'},
        {"SEP=\t\rName\tEmail\r", true, 6, '\t'},
        {"\"sep=,\"\nName,Email\n", true, 8, ','},
        {"sep=;", true, 5, ';'},
        {"sep=;", false, 0, 0}, /* is a line break coming? */
        {"sep=;;\n", true, 0, 0},
        {"sep=a\n", true, 0, 0},
        {"sep=\"\n", true, 0, 0},
        {"\"sep=;\n", true, 0, 0},
        {"Name,sep=;\n", true, 0, 0},
        {"sep", true, 0, 0},
        {"", true, 0, 0},
    };
    for (int i = 0; i < N(cases); i++) {
        char d = 0;
        size_t len = csv_sep_line(cases[i].text, strlen(cases[i].text), cases[i].eof, &d);
        ck_assert_msg(len == cases[i].len, "case %d: %zu", i, len);
        if (len)
            ck_assert_int_eq(d, cases[i].delim);
    }
    /* a reader started past it counts lines from 2 */
    csv_reader *r = csv_open_mem("a|b\n\"x\n", 7);
    csv_set_delimiter(r, '|');
    csv_set_first_line(r, 2);
    lb_err err;
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_record_line(r), 2);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_int_eq(csv_error_line(r), 3);
    csv_close(r);
}
END_TEST

START_TEST(reader_with_delimiter)
{
    const char in[] = "a;\"b;c\";\"d,\"\"e\"\"\"\r\n;x,y;\n";
    csv_reader *r = csv_open_mem(in, sizeof in - 1);
    csv_set_delimiter(r, ';');
    lb_err err = {0};
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_nfields(r), 3);
    ck_assert_str_eq(csv_field(r, 0), "a");
    ck_assert_str_eq(csv_field(r, 1), "b;c");
    ck_assert_str_eq(csv_field(r, 2), "d,\"e\"");
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_nfields(r), 3);
    ck_assert_str_eq(csv_field(r, 0), "");
    ck_assert_str_eq(csv_field(r, 1), "x,y");
    ck_assert_str_eq(csv_field(r, 2), "");
    ck_assert_int_eq(csv_next(r, &err), 0);
    csv_close(r);

    /* a tab file; a quoted field followed by a comma is malformed there */
    const char tab[] = "a\t\"b\"\n\"c\",d\n";
    r = csv_open_mem(tab, sizeof tab - 1);
    csv_set_delimiter(r, '\t');
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_str_eq(csv_field(r, 1), "b");
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "the delimiter (tab)"));
    csv_close(r);
}
END_TEST

Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *t = tcase_create("encodings");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, boms);
    tcase_add_test(t, wide_without_bom);
    tcase_add_test(t, surrogates);
    tcase_add_test(t, windows_1252_fallback);
    tcase_add_test(t, mixed_utf8);
    tcase_add_test(t, controls);
    tcase_add_test(t, nul_in_utf16_kept);
    tcase_add_test(t, split_everywhere);
    tcase_add_test(t, large);
    tcase_add_test(t, stream_cut_characters);
    tcase_add_test(t, binary_refused);
    tcase_add_test(t, nul_later_refused_by_the_reader);
    tcase_add_test(t, iconv_encodings);
    tcase_add_test(t, iconv_bad_bytes);
    tcase_add_test(t, unknown_encoding);
    tcase_add_test(t, read_error);
    tcase_add_test(t, peek_then_read);
    suite_add_tcase(s, t);
    TCase *dl = tcase_create("delimiter");
    tcase_add_loop_test(dl, sniff, 0, N(sniffs));
    tcase_add_test(dl, delimiter_parse);
    tcase_add_test(dl, sep_line);
    tcase_add_test(dl, reader_with_delimiter);
    suite_add_tcase(s, dl);
    return s;
}
