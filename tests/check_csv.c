/* csv.h: the RFC 4180 reader on every edge case (line endings, BOM, quoting,
 * long fields, encodings) and malformed input, each read whole from memory
 * and streamed in reads of 1, 2, 3 and 5 bytes; and the writer's quoting. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/csv.h"
#include "leadboard/status.h"

#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- reading through a callback, a few bytes at a time ---- */

typedef struct {
    const char *p;
    size_t len, pos, chunk;
    bool fail_at_end; /* a read error instead of the end */
} feed;

static long feed_read(void *ud, char *buf, size_t n)
{
    feed *f = ud;
    size_t k = f->len - f->pos;
    if (k == 0 && f->fail_at_end)
        return -1;
    if (k > n)
        k = n;
    if (k > f->chunk)
        k = f->chunk;
    memcpy(buf, f->p + f->pos, k);
    f->pos += k;
    return (long)k;
}

/* chunk 0: from memory; else through the callback in reads of that size. */
static const size_t chunks[] = {0, 1, 2, 3, 5};

static csv_reader *open_in(const char *in, size_t len, size_t chunk, feed *f)
{
    if (chunk == 0)
        return csv_open_mem(in, len);
    f->p = in;
    f->len = len;
    f->pos = 0;
    f->chunk = chunk;
    f->fail_at_end = false;
    return csv_open(feed_read, f);
}

/* Reads everything into "f1\x1f f2\x1e ..." (fields joined by US, records
 * by RS) and the start line of each record as "1,3,". */
static int read_all(csv_reader *r, char *out, size_t n, char *lines, size_t nl, lb_err *err)
{
    int k;
    out[0] = lines[0] = '\0';
    while ((k = csv_next(r, err)) == 1) {
        if (out[0])
            strncat(out, "\x1e", n - strlen(out) - 1);
        for (int i = 0; i < csv_nfields(r); i++) {
            if (i)
                strncat(out, "\x1f", n - strlen(out) - 1);
            strncat(out, csv_field(r, i), n - strlen(out) - 1);
            ck_assert_uint_eq(strlen(csv_field(r, i)), csv_field_len(r, i));
        }
        snprintf(lines + strlen(lines), nl - strlen(lines), "%ld,", csv_record_line(r));
    }
    return k;
}

/* ---- well-formed input ---- */

typedef struct {
    const char *what;
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *records;
    const char *lines;
} ok_case;

#define US "\x1f"
#define RS "\x1e"

static const ok_case ok_cases[] = {
    {"LF", "a,b\nc,d\n", 0, "a" US "b" RS "c" US "d", "1,2,"},
    {"CRLF", "a,b\r\nc,d\r\n", 0, "a" US "b" RS "c" US "d", "1,2,"},
    {"CR alone", "a,b\rc,d\r", 0, "a" US "b" RS "c" US "d", "1,2,"},
    {"mixed line ends", "a\r\nb\rc\nd", 0, "a" RS "b" RS "c" RS "d", "1,2,3,4,"},
    {"no final line break", "a,b\nc,d", 0, "a" US "b" RS "c" US "d", "1,2,"},
    {"UTF-8 BOM skipped", "\xEF\xBB\xBFName,Email\r\nAna,a@x\r\n", 0,
     "Name" US "Email" RS "Ana" US "a@x", "1,2,"},
    {"BOM only", "\xEF\xBB\xBF", 0, "", ""},
    {"BOM inside a field is data", "a,\xEF\xBB\xBFx\n", 0, "a" US "\xEF\xBB\xBFx", "1,"},
    {"empty file", "", 0, "", ""},
    {"only line breaks", "\r\n\n\r", 0, "", ""},
    {"header only", "First Name,Last Name,Email\r\n", 0, "First Name" US "Last Name" US "Email",
     "1,"},
    {"quoted comma", "\"Acme, Inc.\",x\n", 0, "Acme, Inc." US "x", "1,"},
    {"doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", 0, "say \"hi\"" US "\"", "1,"},
    {"quoted LF keeps the line count", "n,notes\nAna,\"one\ntwo\nthree\"\nBo,x\n", 0,
     "n" US "notes" RS "Ana" US "one\ntwo\nthree" RS "Bo" US "x", "1,2,5,"},
    {"quoted CRLF kept as it is", "a,\"x\r\ny\"\r\nb,c\r\n", 0, "a" US "x\r\ny" RS "b" US "c",
     "1,3,"},
    {"quoted CR alone", "\"x\ry\",z\rq\r", 0, "x\ry" US "z" RS "q", "1,3,"},
    {"empty fields", ",,\n", 0, "" US "" US "", "1,"},
    {"empty quoted field", "\"\",a,\"\"\n", 0, "" US "a" US "", "1,"},
    {"trailing comma", "a,b,\n", 0, "a" US "b" US "", "1,"},
    {"comma at the end of the input", "a,", 0, "a" US "", "1,"},
    {"blank lines skipped and counted", "a\n\n\nb\r\n\r\nc\n", 0, "a" RS "b" RS "c", "1,4,6,"},
    {"spaces kept", " a , b \n", 0, " a " US " b ", "1,"},
    {"Unicode", "Zoë,北京科技,Søren 😀\n", 0, "Zoë" US "北京科技" US "Søren 😀", "1,"},
    {"quoted field at the very end", "a,\"b\"", 0, "a" US "b", "1,"},
    {"quoted line breaks only", "\"\n\n\"\nx\n", 0, "\n\n" RS "x", "1,4,"},
    {"single column", "email\nx@y\n\"\"\n", 0, "email" RS "x@y" RS "", "1,2,3,"},
    {"tab is data", "a\tb,c\n", 0, "a\tb" US "c", "1,"},
};

START_TEST(test_read_ok)
{
    const ok_case *c = &ok_cases[_i / N(chunks)];
    size_t chunk = chunks[_i % N(chunks)];
    size_t len = c->len ? c->len : strlen(c->in);
    feed f;
    lb_err err;
    char out[1024], lines[128];
    csv_reader *r = open_in(c->in, len, chunk, &f);
    ck_assert_ptr_nonnull(r);
    int k = read_all(r, out, sizeof out, lines, sizeof lines, &err);
    ck_assert_msg(k == 0, "%s (chunk %zu): error %s", c->what, chunk, err.msg);
    ck_assert_msg(strcmp(out, c->records) == 0, "%s (chunk %zu): records differ", c->what, chunk);
    ck_assert_msg(strcmp(lines, c->lines) == 0, "%s (chunk %zu): lines %s, expected %s", c->what,
                  chunk, lines, c->lines);
    ck_assert_int_eq(csv_next(r, &err), 0); /* and stays at the end */
    csv_close(r);
}
END_TEST

/* ---- malformed input ---- */

typedef struct {
    const char *what;
    const char *in;
    size_t len;
    int records_before; /* good records read before the error */
    long line;
    const char *says;
} bad_case;

static const bad_case bad_cases[] = {
    {"unterminated quote", "a,b\nc,\"d\ne,f\n", 0, 1, 2, "never ends"},
    {"unterminated quote (the sample file)",
     "First Name,Last Name,Email,Company\nAna,Avila,ana@acme.test,Acme\nBo,Chen,bo@globex.test,"
     "\"Globex\nCy,Dube,cy@initech.test,Initech\n",
     0, 2, 3, "closing quote is missing"},
    {"quote alone", "\"", 0, 0, 1, "never ends"},
    {"stray quote", "a,b\"c\n", 0, 0, 1, "quote inside an unquoted field"},
    {"stray quote on line 3", "a\nb\nc\"\n", 0, 2, 3, "quote inside an unquoted field"},
    {"space then quote", "a, \"b\"\n", 0, 0, 1, "quote inside an unquoted field"},
    {"text after the closing quote", "\"a\"b,c\n", 0, 0, 1, "after a closing quote"},
    {"space after the closing quote", "x\n\"a\" ,c\n", 0, 1, 2, "after a closing quote"},
    {"Latin-1 byte", "name\nRen\xE9\n", 0, 1, 2, "not valid UTF-8"},
    {"invalid UTF-8 after quoted lines", "a\n\"x\ny\n\xFF\"\n", 0, 1, 4, "not valid UTF-8"},
    {"overlong encoding", "\xC0\xAF\n", 0, 0, 1, "not valid UTF-8"},
    {"surrogate", "a,\xED\xA0\x80\n", 0, 0, 1, "not valid UTF-8"},
    {"past U+10FFFF", "\xF4\x90\x80\x80\n", 0, 0, 1, "not valid UTF-8"},
    {"cut multibyte at the end", "ok\nab\xE5\x8C", 0, 1, 2, "not valid UTF-8"},
    {"lone continuation byte", "\x80\n", 0, 0, 1, "not valid UTF-8"},
    {"NUL byte", "a,b\nc\0d\n", 8, 1, 2, "NUL byte"},
    {"NUL in a quoted field", "\"a\0\"\n", 5, 0, 1, "NUL byte"},
    {"NUL after a closing quote", "\"a\"\0\n", 5, 0, 1, "NUL byte"},
    {"binary",
     "\x7F"
     "ELF\x02\x01\x01\0\0\0",
     10, 0, 1, "a NUL byte: this is binary data, not a CSV text file"},
    {"UTF-16 LE", "\xFF\xFEN\0a\0", 6, 0, 1, "UTF-16"},
    {"UTF-16 BE", "\xFE\xFF\0N\0a", 6, 0, 1, "UTF-16"},
    /* the whole message, and not UTF-32, for a UTF-16 BOM before letters */
    {"UTF-16 LE, the whole message", "\xFF\xFEN\0a\0m\0e\0", 10, 0, 1,
     "the file is UTF-16 text; save it as UTF-8 (\"CSV UTF-8\")"},
    /* without a BOM: the NUL bytes beside ASCII letters give it away */
    {"UTF-16 LE without a BOM", "N\0a\0m\0e\0", 8, 0, 1,
     "the file is UTF-16 text; save it as UTF-8"},
    {"UTF-16 BE without a BOM", "\0N\0a\0m\0e", 8, 0, 1,
     "the file is UTF-16 text; save it as UTF-8"},
    {"UTF-16 LE without a BOM, CRLF first", "\r\0\n\0N\0a\0", 8, 0, 1, "the file is UTF-16 text"},
    {"UTF-32 LE", "\xFF\xFE\0\0N\0\0\0a\0\0\0", 12, 0, 1,
     "the file is UTF-32 text; save it as UTF-8"},
    {"UTF-32 BE", "\0\0\xFE\xFF\0\0\0N", 8, 0, 1, "the file is UTF-32 text; save it as UTF-8"},
    {"UTF-32 LE without a BOM", "N\0\0\0a\0\0\0", 8, 0, 1,
     "the file is UTF-32 text; save it as UTF-8"},
    {"UTF-32 BE without a BOM", "\0\0\0N\0\0\0a", 8, 0, 1, "the file is UTF-32 text"},
    /* NUL bytes that fit no wide encoding are binary data */
    {"binary, NULs from the fifth byte",
     "\x7F"
     "ELF\0\0\0\0",
     8, 0, 1, "a NUL byte: this is binary data"},
    {"NULs beside no letters", "A\0\0B\n", 5, 0, 1, "a NUL byte: this is binary data"},
    {"too short to tell", "N\0", 2, 0, 1, "a NUL byte: this is binary data"},
};

START_TEST(test_read_bad)
{
    const bad_case c = bad_cases[_i / N(chunks)];
    size_t chunk = chunks[_i % N(chunks)];
    size_t len = c.len ? c.len : strlen(c.in);
    feed f;
    lb_err err;
    char out[1024], lines[128];
    csv_reader *r = open_in(c.in, len, chunk, &f);
    lb_err_clear(&err);
    int k = read_all(r, out, sizeof out, lines, sizeof lines, &err);
    ck_assert_msg(k == -1, "%s (chunk %zu): accepted", c.what, chunk);
    ck_assert_msg(strstr(err.msg, c.says) != NULL, "%s: message '%s' lacks '%s'", c.what, err.msg,
                  c.says);
    ck_assert_int_eq(err.status, LB_EINVAL);
    ck_assert_msg(csv_error_line(r) == c.line, "%s (chunk %zu): line %ld, expected %ld", c.what,
                  chunk, csv_error_line(r), c.line);
    int before = 0;
    for (const char *p = lines; *p; p++)
        before += *p == ',';
    ck_assert_int_eq(before, c.records_before);
    /* The reader stays failed. */
    lb_err_clear(&err);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_str_ne(err.msg, "");
    csv_close(r);
}
END_TEST

/* ---- limits ---- */

static char *repeat(char c, size_t n, const char *before, const char *after)
{
    size_t a = strlen(before), b = strlen(after);
    char *s = malloc(a + n + b + 1);
    memcpy(s, before, a);
    memset(s + a, c, n);
    memcpy(s + a + n, after, b + 1);
    return s;
}

START_TEST(test_long_field_accepted)
{
    /* Long notes are no problem: 1 MiB exactly, quoted with line breaks. */
    char *in = repeat('x', CSV_FIELD_MAX, "id,notes\n1,\"", "\"\n2,short\n");
    for (size_t i = 12; i < CSV_FIELD_MAX; i += 1000)
        in[i] = '\n';
    lb_err err;
    csv_reader *r = csv_open_mem(in, strlen(in));
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_uint_eq(csv_field_len(r, 1), CSV_FIELD_MAX);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_str_eq(csv_field(r, 1), "short");
    ck_assert_int_eq(csv_record_line(r), 2 + 1 + (CSV_FIELD_MAX - 1 - 12) / 1000 + 1);
    csv_close(r);
    free(in);
}
END_TEST

START_TEST(test_field_over_the_cap)
{
    char *in = repeat('y', CSV_FIELD_MAX + 1, "a\n\n", "\n");
    lb_err err;
    csv_reader *r = csv_open_mem(in, strlen(in));
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "longer than 1 MiB"));
    ck_assert_int_eq(csv_error_line(r), 3);
    csv_close(r);
    free(in);
}
END_TEST

START_TEST(test_lowered_limits)
{
    lb_err err;
    csv_reader *r = csv_open_mem("abcd,e\nabcde\n", 13);
    csv_set_limits(r, 4, 0, 0);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "field longer than 4 bytes"));
    csv_close(r);

    r = csv_open_mem("a,b,c\na,b,c,d\n", 14);
    csv_set_limits(r, 0, 0, 3);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than 3 fields"));
    ck_assert_int_eq(csv_error_line(r), 2);
    csv_close(r);

    r = csv_open_mem("ab,cd\nabc,def,ghi\n", 18);
    csv_set_limits(r, 0, 8, 0);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "record longer than 8 bytes"));
    csv_close(r);
}
END_TEST

START_TEST(test_many_records_streamed)
{
    /* 20000 records with a quoted line break each: line numbers stay right
     * across reads that split records anywhere. */
    size_t n = 20000, cap = n * 32;
    char *in = malloc(cap), *p = in;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%zu,\"a\r\nb\"\r\n", i);
    feed f = {in, (size_t)(p - in), 0, 7, false};
    csv_reader *r = csv_open(feed_read, &f);
    lb_err err;
    size_t i = 0;
    while (csv_next(r, &err) == 1) {
        char want[24];
        snprintf(want, sizeof want, "%zu", i);
        ck_assert_str_eq(csv_field(r, 0), want);
        ck_assert_str_eq(csv_field(r, 1), "a\r\nb");
        ck_assert_int_eq(csv_record_line(r), (long)(2 * i + 1));
        i++;
    }
    ck_assert_uint_eq(i, n);
    csv_close(r);
    free(in);
}
END_TEST

START_TEST(test_read_error)
{
    feed f = {"a,b\nc,", 6, 0, 2, true};
    csv_reader *r = csv_open(feed_read, &f);
    lb_err err;
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_next(r, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot read"));
    csv_close(r);
}
END_TEST

START_TEST(test_field_out_of_range)
{
    lb_err err;
    csv_reader *r = csv_open_mem("a,b\n", 4);
    ck_assert_int_eq(csv_next(r, &err), 1);
    ck_assert_int_eq(csv_nfields(r), 2);
    ck_assert_str_eq(csv_field(r, 2), "");
    ck_assert_str_eq(csv_field(r, -1), "");
    ck_assert_uint_eq(csv_field_len(r, 5), 0);
    csv_close(r);
}
END_TEST

/* ---- writing ---- */

static const struct {
    const char *in, *out;
} write_cases[] = {
    {"plain", "plain"},
    {"", ""},
    {"a,b", "\"a,b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"one\ntwo", "\"one\ntwo\""},
    {"cr\rhere", "\"cr\rhere\""},
    {" lead", "\" lead\""},
    {"trail ", "\"trail \""},
    {"in side", "in side"},
    {"Zoë 北京", "Zoë 北京"},
    {"\xEF\xBB\xBFx", "\"\xEF\xBB\xBFx\""},
    {"\"", "\"\"\"\""},
    /* the formula rule */
    {"=1+2", "'=1+2"},
    {"+1 555 0100", "'+1 555 0100"},
    {"-x", "'-x"},
    {"@SUM(A1)", "'@SUM(A1)"},
    {"\t=1", "'\t=1"},
    {"\r=1", "\"'\r=1\""},
    {"=a,b", "\"'=a,b\""},
    {"'=x", "''=x"},
    {"'plain", "'plain"},
    {"-142.85", "-142.85"}, /* a plain negative number stays a number */
    {"-3", "-3"},
    {"'-3", "''-3"}, /* so that the apostrophe of '-3 survives a round trip */
    {"-3.", "'-3."},
    {"-.5", "'-.5"},
    {"-1e5", "'-1e5"},
    {"-12,500.00", "\"'-12,500.00\""},
    {"a=b", "a=b"},
};

static const struct {
    const char *in, *out;
} tsv_cases[] = {
    {"plain", "plain"},
    {"a\tb", "a\\tb"},
    {"a\nb\r", "a\\nb\\r"},
    {"back\\slash", "back\\\\slash"},
    {"\\x1b", "\\\\x1b"},      /* a backslash that was typed stays apart from an escape */
    {"e\x1b[2J", "e\\x1b[2J"}, /* controls as escapes, always: tsv has escapes */
    {"r\xe2\x80\xae", "r\\u202e"},
    {"=1+2", "'=1+2"},
    {"-142.85", "-142.85"},
    {"\t=1", "'\\t=1"},
    {"a,b \"q\"", "a,b \"q\""},
};

START_TEST(test_write_tsv_field)
{
    csv_out o = {0};
    o.tsv = true;
    csv_out_field(&o, tsv_cases[_i].in);
    csv_out_field(&o, "z");
    csv_out_end_record(&o);
    char want[128];
    snprintf(want, sizeof want, "%s\tz\n", tsv_cases[_i].out);
    ck_assert_str_eq(o.buf, want);
    csv_out_free(&o);
}
END_TEST

/* For a terminal: the output rule on every cell, CSV's quoting unchanged. */
START_TEST(test_write_terminal)
{
    csv_out o = {0};
    o.terminal = true;
    csv_out_field(&o, "e\x1b[2J");
    csv_out_field(&o, "two\nlines");
    csv_out_field(&o, "x\xc2\x9b");
    ck_assert_str_eq(o.buf, "e\\x1b[2J,\"two\nlines\",x\\u009b");
    csv_out_free(&o);
}
END_TEST

START_TEST(test_write_verbatim)
{
    csv_out o = {0};
    o.verbatim = true;
    csv_out_field(&o, "=1+2");
    csv_out_field(&o, "-x");
    ck_assert_str_eq(o.buf, "=1+2,-x");
    csv_out_free(&o);
}
END_TEST

/* What the writer guards, csv_unguard gives back, for every value. */
START_TEST(test_unguard_undoes_guard)
{
    static const char *const values[] = {"=1", "'=1", "''=1", "-3", "'-3", "''-3",  "-x", "'x",
                                         "'",  "''",  "",     "+",  "@",   "plain", "\t", "'\t"};
    for (int i = 0; i < N(values); i++) {
        char guarded[16];
        snprintf(guarded, sizeof guarded, "%s%s", csv_formula_guarded(values[i]) ? "'" : "",
                 values[i]);
        ck_assert_msg(strcmp(csv_unguard(guarded), values[i]) == 0, "%s -> %s -> %s", values[i],
                      guarded, csv_unguard(guarded));
    }
    /* an export written before plain negative numbers stayed numbers */
    ck_assert_str_eq(csv_unguard("'-3"), "-3");
}
END_TEST

START_TEST(test_write_field)
{
    csv_out o = {0};
    csv_out_field(&o, write_cases[_i].in);
    ck_assert_str_eq(o.buf, write_cases[_i].out);
    csv_out_free(&o);
}
END_TEST

START_TEST(test_write_records_round_trip)
{
    static const char *const fields[] = {
        "O'Brien, \"Bo\"",
        "line\r\nbreak",
        "",
        " spaced ",
        "北京科技有限公司",
        "a\"\"b",
        ",",
        "\n",
        "end",
    };
    csv_out o = {0};
    for (int rec = 0; rec < 3; rec++) {
        for (int i = 0; i < N(fields); i++)
            csv_out_field(&o, fields[i]);
        csv_out_end_record(&o);
    }
    ck_assert(!o.failed);
    ck_assert_int_eq(o.buf[o.len - 2], '\r');
    ck_assert_int_eq(o.buf[o.len - 1], '\n');
    lb_err err;
    csv_reader *r = csv_open_mem(o.buf, o.len);
    for (int rec = 0; rec < 3; rec++) {
        ck_assert_int_eq(csv_next(r, &err), 1);
        ck_assert_int_eq(csv_nfields(r), N(fields));
        for (int i = 0; i < N(fields); i++)
            ck_assert_str_eq(csv_field(r, i), fields[i]);
    }
    ck_assert_int_eq(csv_next(r, &err), 0);
    csv_close(r);
    csv_out_clear(&o);
    ck_assert_uint_eq(o.len, 0);
    csv_out_field(&o, "x");
    ck_assert_str_eq(o.buf, "x"); /* no comma left over from before */
    csv_out_free(&o);
}
END_TEST

Suite *csv_suite(void)
{
    Suite *s = suite_create("csv");

    TCase *tc = tcase_create("read");
    tcase_add_loop_test(tc, test_read_ok, 0, N(ok_cases) * N(chunks));
    tcase_add_loop_test(tc, test_read_bad, 0, N(bad_cases) * N(chunks));
    tcase_add_test(tc, test_many_records_streamed);
    tcase_add_test(tc, test_read_error);
    tcase_add_test(tc, test_field_out_of_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_long_field_accepted);
    tcase_add_test(tc, test_field_over_the_cap);
    tcase_add_test(tc, test_lowered_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("write");
    tcase_add_loop_test(tc, test_write_field, 0, N(write_cases));
    tcase_add_test(tc, test_write_records_round_trip);
    tcase_add_loop_test(tc, test_write_tsv_field, 0, N(tsv_cases));
    tcase_add_test(tc, test_write_terminal);
    tcase_add_test(tc, test_write_verbatim);
    tcase_add_test(tc, test_unguard_undoes_guard);
    suite_add_tcase(s, tc);

    return s;
}
