#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli.h"
#include "leadboard/csv_write.h"
#include "leadboard/text.h"

#define TABLE_CELL_MAX 40

struct out_writer {
    FILE *f;
    out_format fmt;
    const out_col *cols;
    int ncols;
    long nrows;
    /* table: every cell, already in display form */
    char **cells;
    size_t ncells, cap;
    csv_out csv; /* csv and tsv: the one CSV writer, a record at a time */
};

bool out_for_people(const out_writer *w)
{
    return w->fmt == FMT_TABLE || w->fmt == FMT_MD;
}

/* Writes the record csv holds. */
static void csv_flush(out_writer *w)
{
    if (w->csv.len)
        fwrite(w->csv.buf, 1, w->csv.len, w->f);
    csv_out_clear(&w->csv);
}

/* A markdown cell: '|' escaped, line breaks and tabs as spaces, so a cell
 * never ends the row or the table. */
static void md_cell(FILE *f, const char *s)
{
    fputc(' ', f);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputs(" |", f);
}

/* Markdown is for people, like the table: the same columns and forms. */
static void md_header(FILE *f, const out_col *cols, int ncols)
{
    fputc('|', f);
    for (int i = 0; i < ncols; i++)
        if (!cols[i].table_hidden)
            md_cell(f, cols[i].name);
    fputs("\n|", f);
    for (int i = 0; i < ncols; i++)
        if (!cols[i].table_hidden)
            fputs("---|", f);
    fputc('\n', f);
}

out_writer *out_begin(FILE *f, out_format fmt, const out_col *cols, int ncols)
{
    out_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->f = f;
    w->fmt = fmt;
    w->cols = cols;
    w->ncols = ncols;
    if (fmt == FMT_CSV || fmt == FMT_TSV) {
        w->csv.tsv = fmt == FMT_TSV;
        /* on a terminal, the output rule; into a file or a pipe, the data */
        w->csv.terminal = isatty(fileno(f));
        for (int i = 0; i < ncols; i++)
            csv_out_field(&w->csv, cols[i].name);
        csv_out_end_record(&w->csv);
        csv_flush(w);
    } else if (fmt == FMT_MD) {
        md_header(f, cols, ncols);
    } else if (fmt == FMT_JSON) {
        fputc('[', f);
    }
    return w;
}

void out_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        uint32_t cp = *p;
        size_t k = 1;
        if (cp >= 0x80 && (k = utf8_decode(p, (size_t)(end - p), &cp)) == 0) {
            fputs("\\ufffd", f); /* not text: never a raw byte */
            p++;
            continue;
        }
        switch (cp) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            /* the output rule in JSON's own escapes: controls (C0, DEL, C1)
             * and bidi overrides never leave as themselves */
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
                (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
                fprintf(f, "\\u%04x", (unsigned)cp);
            else
                fwrite(p, 1, k, f);
        }
        p += k;
    }
    fputc('"', f);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *line = text_error_line(fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line ? line : "leadboard: out of memory");
    free(line);
}

char *out_shown(const char *s, bool keep_lines)
{
    return text_escape_dup(s ? s : "", keep_lines);
}

/* The table form of one value, before the output rule. */
static char *table_value(const out_col *col, const char *v)
{
    char buf[64];
    if (!v || !*v)
        return strdup("");
    switch (col->type) {
    case COL_MONEY: {
        int64_t cents = 0;
        const char *p = v;
        bool neg = *p == '-';
        if (neg)
            p++;
        if (money_parse(p, &cents, NULL) == LB_OK) {
            money_format_human(neg ? -cents : cents, buf, sizeof buf);
            return strdup(buf);
        }
        return strdup(v);
    }
    case COL_PERCENT: {
        /* A ratio of two decimals is a whole number of percent: its
         * hundredths.  Grouped like money, so 45.92 reads "4,592%". */
        int64_t pct = 0;
        const char *p = v;
        bool neg = *p == '-';
        if (neg)
            p++;
        if (money_parse(p, &pct, NULL) != LB_OK || strchr(p, ','))
            return strdup(v);
        money_format_human((neg ? -pct : pct) * 100, buf, sizeof buf);
        buf[strcspn(buf, ".")] = '\0';
        strcat(buf, "%");
        return strdup(buf);
    }
    case COL_TIME: {
        lb_time t;
        if (time_parse(v, &t, NULL) == LB_OK) {
            time_format_human(t, buf, sizeof buf);
            return strdup(buf);
        }
        return strdup(v);
    }
    case COL_BOOL:
        return strdup(strcmp(v, "1") == 0 ? "yes" : "no");
    default: {
        /* One line per row: line breaks and tabs show as spaces. */
        char *s = strdup(v);
        for (char *p = s; p && *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        return s;
    }
    }
}

/* The table form of one value, as it may reach a terminal. */
static char *table_cell(const out_col *col, const char *v)
{
    char *raw = table_value(col, v);
    char *shown = raw ? text_escape_dup(raw, false) : NULL;
    free(raw);
    return shown;
}

void out_row(out_writer *w, const char *const *values)
{
    FILE *f = w->f;
    switch (w->fmt) {
    case FMT_CSV:
    case FMT_TSV:
        for (int i = 0; i < w->ncols; i++)
            csv_out_field(&w->csv, values[i] ? values[i] : "");
        csv_out_end_record(&w->csv);
        csv_flush(w);
        break;
    case FMT_JSON:
        fputs(w->nrows ? ",\n {" : "\n {", f);
        for (int i = 0; i < w->ncols; i++) {
            const char *v = values[i];
            bool empty = !v || !*v;
            fputs(i ? ", " : "", f);
            out_json_string(f, w->cols[i].name);
            fputs(": ", f);
            switch (w->cols[i].type) {
            case COL_INT:
            case COL_MONEY:
            case COL_RATIO:
            case COL_PERCENT:
                fputs(empty ? "null" : v, f);
                break;
            case COL_BOOL:
                fputs(empty ? "null" : strcmp(v, "1") == 0 ? "true" : "false", f);
                break;
            case COL_TIME:
                if (empty)
                    fputs("null", f);
                else
                    out_json_string(f, v);
                break;
            default: /* an empty text is absent: null, as for numbers and times */
                if (empty)
                    fputs("null", f);
                else
                    out_json_string(f, v);
            }
        }
        fputc('}', f);
        break;
    case FMT_MD:
        fputc('|', f);
        for (int i = 0; i < w->ncols; i++) {
            if (w->cols[i].table_hidden)
                continue;
            char *cell = table_cell(&w->cols[i], values[i]);
            md_cell(f, cell ? cell : "");
            free(cell);
        }
        fputc('\n', f);
        break;
    case FMT_TABLE:
        if (w->ncells + (size_t)w->ncols > w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 256;
            while (cap < w->ncells + (size_t)w->ncols)
                cap *= 2;
            char **cells = realloc(w->cells, cap * sizeof *cells);
            if (!cells)
                return;
            w->cells = cells;
            w->cap = cap;
        }
        for (int i = 0; i < w->ncols; i++)
            w->cells[w->ncells++] = table_cell(&w->cols[i], values[i]);
        break;
    }
    w->nrows++;
}

static bool right_aligned(col_type t)
{
    return t == COL_INT || t == COL_MONEY || t == COL_RATIO || t == COL_PERCENT;
}

static void table_print(out_writer *w)
{
    int width[64] = {0};
    int last = -1;
    for (int i = 0; i < w->ncols && i < 64; i++) {
        if (w->cols[i].table_hidden)
            continue;
        width[i] = text_width(w->cols[i].name);
        last = i;
    }
    for (size_t k = 0; k < w->ncells; k++) {
        int i = (int)(k % (size_t)w->ncols);
        if (i >= 64 || w->cols[i].table_hidden)
            continue;
        int cw = text_width(w->cells[k]);
        if (i != last && w->cols[i].type != COL_PROSE && cw > TABLE_CELL_MAX)
            cw = TABLE_CELL_MAX;
        if (cw > width[i])
            width[i] = cw;
    }
    char buf[TABLE_CELL_MAX * 4 + 8];
    for (long r = -1; r < w->nrows; r++) {
        for (int i = 0; i < w->ncols && i < 64; i++) {
            if (w->cols[i].table_hidden)
                continue;
            const char *s;
            char upper[64];
            if (r < 0) {
                size_t j = 0;
                for (; w->cols[i].name[j] && j < sizeof upper - 1; j++)
                    upper[j] = (char)(w->cols[i].name[j] == '_' ? ' ' : w->cols[i].name[j] - 32 * (w->cols[i].name[j] >= 'a' && w->cols[i].name[j] <= 'z'));
                upper[j] = '\0';
                s = upper;
            } else {
                s = w->cells[(size_t)r * (size_t)w->ncols + (size_t)i];
            }
            int cw;
            if (i == last || w->cols[i].type == COL_PROSE) {
                cw = text_width(s);
            } else {
                cw = text_fit(s, width[i], false, buf, sizeof buf);
                s = buf;
            }
            int pad = width[i] - cw;
            if (right_aligned(w->cols[i].type) && r >= 0) {
                if (i == last && !*s)
                    continue; /* nothing to align: no trailing spaces */
                fprintf(w->f, "%*s%s", pad, "", s);
            } else if (i == last) {
                fputs(s, w->f);
            } else {
                fprintf(w->f, "%s%*s", s, pad, "");
            }
            if (i != last)
                fputs("  ", w->f);
        }
        fputc('\n', w->f);
    }
}

void out_end(out_writer *w)
{
    if (!w)
        return;
    if (w->fmt == FMT_JSON)
        fputs(w->nrows ? "\n]\n" : "]\n", w->f);
    else if (w->fmt == FMT_TABLE) {
        if (w->nrows)
            table_print(w);
        for (size_t k = 0; k < w->ncells; k++)
            free(w->cells[k]);
        free(w->cells);
    }
    csv_out_free(&w->csv);
    free(w);
}
