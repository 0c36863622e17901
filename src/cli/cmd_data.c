#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/decode.h"
#include "leadboard/import.h"

const char cli_import_help[] =
    "The header row may sit below a few lines of preamble.  Columns are matched by\n"
    "name, ignoring case, spaces and punctuation, and the words CRMs put around a\n"
    "field (Primary Email, Email (Work), Contact First Name, E-mail 1 - Value):\n"
    "  name        Name, Full Name, Display Name, or First Name + Last Name;\n"
    "              with none, the email, else the company, else the phone\n"
    "  company     Company, Company Name, Account Name, Organization\n"
    "  email       Email, Email Address, EmailID, Primary Email (duplicates are\n"
    "              matched on it, ignoring case)\n"
    "  phone       Phone, Phone Number, Work Phone, else Mobile, Cell\n"
    "  title       Job Title, Title, Position\n"
    "  campaign    Lead Source, Campaign, Original Source, Source (created when\n"
    "              missing)\n"
    "  value       Amount, Estimated Value, Deal Value ($12,500.00, 12500, and in\n"
    "              a ';' file 12.500,00 EUR)\n"
    "  notes       Description, Notes, Comments; other columns are added to the\n"
    "              notes as 'Column: value' lines, and so are the values of a\n"
    "              repeated column after the first (and a value too long for its\n"
    "              field)\n"
    "  and the columns of 'leadboard export' (a file with its stage_at column):\n"
    "  for a manager, stage, owner, marketer, reason and the times are restored\n"
    "  as they are; for marketing every lead enters nurture.  Another CRM's\n"
    "  Stage or Owner column goes to the notes.  --on-duplicate update\n"
    "  overwrites a lead's details (never its stage or owner) with the row's\n"
    "  non-empty values, and adds the other columns' lines to its notes;\n"
    "  marketing does not update leads past nurture (they are counted).\n"
    "The file may be UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a\n"
    "BOM, or what --encoding NAME says (iconv's names: WINDOWS-1252,\n"
    "ISO-8859-15, SHIFT_JIS...); a file that is not UTF-8 and has no BOM is\n"
    "read as Windows-1252, and the summary says so.  The delimiter (, ; tab\n"
    "or |) is found from the first lines, or given with --delimiter C (also\n"
    "--delimiter tab).\n"
    "A row that names no one (no name, email, company or phone) is counted as\n"
    "empty.  The import is one transaction: a bad row stops it with FILE:LINE\n"
    "and nothing is written; with --rejects FILE the good rows are imported\n"
    "and each bad row is written to FILE (which must be new) as it was, with a\n"
    "reason column.  The summary accounts for every row.  --campaign NAME\n"
    "puts every lead in that campaign, creating it when missing.  --dry-run\n"
    "does all of it and writes nothing (not the rejects file either).\n"
    "The file is read without holding the database: others write on meanwhile.\n";

const char cli_export_help[] =
    "One row per lead, with a header: id, name, company, title, email, phone,\n"
    "notes, campaign, value, stage, owner, marketer, reason, the pipeline's\n"
    "times, stars, furthest, rejections, campaign_channel, campaign_cost.\n"
    "A value a spreadsheet would run as a formula (one starting with = + - or\n"
    "@, but not a plain negative number) is written with an apostrophe before\n"
    "it, as in every csv output; import takes it off again.\n"
    "A manager's import of the file into an empty board restores it exactly\n"
    "(leads whose emails differ only in case are duplicates: the first is kept).\n";

typedef struct {
    FILE *f;
    int error; /* errno of a failed read or write */
} stream;

static long read_stream(void *ud, char *buf, size_t n)
{
    stream *s = ud;
    size_t k = fread(buf, 1, n, s->f);
    if (k == 0 && ferror(s->f)) {
        s->error = errno ? errno : EIO;
        return -1;
    }
    return (long)k;
}

static int write_stream(void *ud, const char *data, size_t n)
{
    stream *s = ud;
    if (!s->f) /* a dry run's rejects: counted, not written */
        return 0;
    if (fwrite(data, 1, n, s->f) != n) {
        s->error = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

static const out_col summary_cols[] = {
    {"added", COL_INT, false},          {"updated", COL_INT, false},
    {"skipped", COL_INT, false},        {"created_campaigns", COL_TEXT, false},
    {"unknown_columns", COL_TEXT, false}, {"rows", COL_INT, false},
    {"empty", COL_INT, false},          {"rejected", COL_INT, false},
    {"encoding", COL_TEXT, false},      {"delimiter", COL_TEXT, false},
};

static void print_machine_summary(cli *c, const lb_import_summary *s)
{
    char n[6][24];
    const int64_t v[6] = {s->added, s->updated, s->skipped, s->rows, s->empty, s->rejected};
    for (int i = 0; i < 6; i++)
        fmt_int(v[i], n[i], sizeof n[i]);
    char dn[4];
    const char *row[] = {n[0], n[1], n[2], s->created_campaigns, s->unknown_columns,
                         n[3], n[4], n[5], s->encoding, csv_delimiter_name(s->delimiter, dn)};
    out_writer *w = out_begin(stdout, c->fmt, summary_cols, 10);
    out_row(w, row);
    out_end(w);
}

/* A dry run says what an import would do, in the conditional.  The
 * file's name comes from the user, and the lists from the file: the
 * output rule. */
static void print_summary(cli *c, const char *src, const char *rejects, const lb_import_summary *s)
{
    if (c->fmt_given && c->fmt != FMT_TABLE) {
        print_machine_summary(c, s);
        return;
    }
    bool dry = s->dry_run;
    char *src_shown = out_shown(src, false), *unknown = out_shown(s->unknown_columns, false),
         *created = out_shown(s->created_campaigns, false),
         *rej_shown = rejects ? out_shown(rejects, false) : NULL;
    if (src_shown)
        src = src_shown;
    printf("%s %s: %lld %s, %lld updated, %lld skipped", dry ? "dry run of" : "imported", src,
           (long long)s->added, dry ? "would be added" : "added", (long long)s->updated,
           (long long)s->skipped);
    if (s->not_updated)
        printf(" (%lld duplicates, %lld not updated: not in nurture)", (long long)s->duplicates,
               (long long)s->not_updated);
    else if (s->skipped)
        printf(" (duplicates)");
    printf(", %lld empty, %lld rejected (%lld row%s)", (long long)s->empty,
           (long long)s->rejected, (long long)s->rows, s->rows == 1 ? "" : "s");
    if (s->unknown_columns_n)
        printf("; unknown columns kept in notes: %s", unknown ? unknown : "");
    if (s->created_campaigns_n)
        printf("; %s campaigns: %s", dry ? "would create" : "created", created ? created : "");
    char dn[4];
    const char *delim = csv_delimiter_name(s->delimiter, dn);
    printf(delim == dn ? "; read as %s, delimiter '%s'" : "; read as %s, delimiter %s", s->encoding,
           delim);
    putchar('\n');
    if (strcmp(s->encoding, DECODE_FALLBACK) == 0)
        printf("%s is not UTF-8 and does not say its encoding: it was read as Windows-1252; if "
               "its accents look wrong, name its encoding with --encoding NAME\n",
               src);
    if (s->header_line > (s->sep_line ? 2 : 1))
        printf("the header is line %ld: what is above it was left out\n", s->header_line);
    if (s->footer_rows)
        printf("%lld line%s below the rows, from line %ld, %s left out: a footer, not leads\n",
               (long long)s->footer_rows, s->footer_rows == 1 ? "" : "s", s->footer_line,
               s->footer_rows == 1 ? "was" : "were");
    if (s->total_rows)
        printf("%lld totals row%s ('Total') counted as empty, not as leads\n",
               (long long)s->total_rows, s->total_rows == 1 ? "" : "s");
    if (s->email_by_content[0])
        printf("no column name was known; column '%s' holds addresses, so it is the email "
               "(and names come from it where no name is known)\n",
               s->email_by_content);
    if (s->rejected)
        printf("%lld bad row%s %s %s (the first, line %ld: %s)\n", (long long)s->rejected,
               s->rejected == 1 ? "" : "s", dry ? "would be written to" : "written to",
               rej_shown ? rej_shown : "?", s->first_reject_line, s->first_reject);
    if (s->pipeline_ignored && s->added)
        printf("stage, owner, marketer, reason and pipeline times are restored for managers "
               "only: every lead entered nurture\n");
    if (s->notes_cut)
        printf(
            "%s:%ld: the lead's notes had no room for all the row holds (%d characters at "
            "most); the rest was left out (%lld lead%s in all)\n",
            src, s->notes_cut_line, LB_NOTES_MAX, (long long)s->notes_cut,
            s->notes_cut == 1 ? "" : "s");
    if (s->dry_run)
        printf("dry run: nothing written\n");
    free(src_shown);
    free(unknown);
    free(created);
    free(rej_shown);
}

/* The rejects file: written as FILE.tmp and renamed once the import is
 * saved, so that FILE exists only when the rows it lists were refused by
 * an import that happened. */
typedef struct {
    const char *path;
    char tmp[4096];
    stream out;
} rejects_file;

static lb_status rejects_open(rejects_file *rf, const char *path, const char *input, lb_err *err)
{
    struct stat sb, in;
    rf->path = path;
    if (lstat(path, &sb) == 0) {
        if (input && stat(input, &in) == 0 && stat(path, &sb) == 0 && sb.st_dev == in.st_dev &&
            sb.st_ino == in.st_ino)
            return lb_fail(err, LB_EUSAGE, "--rejects %s is the file being imported; name a new file",
                           path);
        return lb_fail(err, LB_EINVAL,
                       "--rejects %s exists; the rejects go to a new file (choose another name "
                       "or remove it)",
                       path);
    }
    if (snprintf(rf->tmp, sizeof rf->tmp, "%s.tmp", path) >= (int)sizeof rf->tmp)
        return lb_fail(err, LB_EUSAGE, "the --rejects file name is too long");
    int fd = open(rf->tmp, O_WRONLY | O_CREAT | O_EXCL, 0660);
    if (fd < 0)
        return lb_fail(err, LB_EINVAL, "cannot create %s: %s%s", rf->tmp, strerror(errno),
                       errno == EEXIST ? " (left by an interrupted import? remove it)" : "");
    rf->out.f = fdopen(fd, "wb");
    if (!rf->out.f) {
        close(fd);
        unlink(rf->tmp);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    return LB_OK;
}

/* Keeps the file (st LB_OK and not a dry run) or takes it away. */
static lb_status rejects_close(rejects_file *rf, lb_status st, bool keep, lb_err *err)
{
    if (!rf->out.f)
        return st;
    if (st == LB_OK && keep && (fflush(rf->out.f) != 0 || fsync(fileno(rf->out.f)) != 0))
        rf->out.error = errno;
    if (fclose(rf->out.f) != 0 && st == LB_OK && keep && !rf->out.error)
        rf->out.error = errno;
    rf->out.f = NULL;
    if (st == LB_OK && keep && rf->out.error)
        st = lb_fail(err, LB_EDB, "the import was saved, but %s could not be written: %s",
                     rf->tmp, strerror(rf->out.error));
    else if (st == LB_OK && keep && rename(rf->tmp, rf->path) != 0)
        st = lb_fail(err, LB_EDB, "the import was saved, but %s could not be renamed to %s: %s",
                     rf->tmp, rf->path, strerror(errno));
    else
        keep = keep && st == LB_OK;
    if (!keep)
        unlink(rf->tmp);
    return st;
}

int cmd_import(cli *c, const cmd_args *a, lb_err *err)
{
    lb_import_opts o;
    lb_import_summary sum;
    lb_status st;
    memset(&o, 0, sizeof o);
    o.campaign = arg_get(a, "campaign");
    o.dry_run = arg_has(a, "dry-run");
    o.on_duplicate = DUP_SKIP;
    if (arg_get(a, "on-duplicate") &&
        (st = dup_mode_parse(arg_get(a, "on-duplicate"), &o.on_duplicate, err)) != LB_OK)
        return st;
    const char *encoding = arg_get(a, "encoding");
    char delim = 0;
    if ((encoding && (st = decode_check_encoding(encoding, err)) != LB_OK) ||
        (arg_get(a, "delimiter") &&
         (st = csv_delimiter_parse(arg_get(a, "delimiter"), &delim, err)) != LB_OK))
        return st;
    /* Refuse before reading anything. */
    if ((st = ctx_require_actor(&c->ctx, err)) != LB_OK ||
        (st = rules_permit(&c->ctx.actor, ACTION_IMPORT, NULL, err)) != LB_OK)
        return st;

    const char *path = a->pos[0];
    const char *rejects = arg_get(a, "rejects");
    bool from_stdin = strcmp(path, "-") == 0;
    stream in = {stdin, 0};
    if (rejects && !*rejects)
        return lb_fail(err, LB_EUSAGE, "--rejects needs a file name");
    if (from_stdin) {
        o.source = "stdin";
    } else {
        struct stat sb;
        o.source = path;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return lb_fail(err, LB_EINVAL, "%s is a folder; give a CSV file", path);
        in.f = fopen(path, "rb");
        if (!in.f)
            return lb_fail(err, errno == ENOENT ? LB_ENOTFOUND : LB_EINVAL, "cannot open %s: %s",
                           path, strerror(errno));
    }
    /* The file is read while no write lock is held (the import stages its
     * rows apart and publishes them at the end): a pipe is read as it comes. */
    rejects_file rf;
    memset(&rf, 0, sizeof rf);
    if (rejects && !o.dry_run &&
        (st = rejects_open(&rf, rejects, from_stdin ? NULL : path, err)) != LB_OK) {
        if (in.f != stdin)
            fclose(in.f);
        return st;
    }
    stream discard = {NULL, 0};
    if (rejects) {
        o.rejects = write_stream;
        o.rejects_ud = o.dry_run ? (void *)&discard : (void *)&rf.out;
    }
    /* The file's bytes become UTF-8 text, its delimiter is found from the
     * first lines of that text, and the CSV reader reads it. */
    lb_decoder *dec = NULL;
    csv_reader *r = NULL;
    st = decode_open(read_stream, &in, encoding, o.source, &dec, err);
    if (st == LB_OK)
        st = decode_start(dec, err);
    size_t sep = 0; /* Excel's "sep=;" line: the delimiter, not data */
    if (st == LB_OK) {
        const char *head;
        size_t n;
        bool eof;
        char sep_delim;
        decode_peek(dec, DECODE_PEEK_MAX, &head, &n, &eof);
        sep = csv_sep_line(head, n, eof, &sep_delim);
        if (!delim)
            delim = sep ? sep_delim : csv_sniff_delimiter(head, n, eof);
        char skip[16];
        for (size_t k = sep; k > 0;) { /* it is in what was peeked */
            long got = decode_read(dec, skip, k < sizeof skip ? k : sizeof skip);
            if (got <= 0)
                break;
            k -= (size_t)got;
        }
    }
    if (st == LB_OK && !(r = csv_open(decode_read, dec)))
        st = lb_fail(err, LB_EDB, "out of memory");
    if (st == LB_OK) {
        csv_set_delimiter(r, delim);
        if (sep)
            csv_set_first_line(r, 2);
        o.delimiter = delim; /* a ';' file's money has a decimal comma */
        st = import_csv(&c->ctx, r, &o, &sum, err);
    }
    long line;
    lb_err derr;
    if (st != LB_OK && in.error)
        st = lb_fail(err, LB_EINVAL, "cannot read %s: %s; nothing was imported", o.source,
                     strerror(in.error));
    else if (st != LB_OK && decode_error(dec, &derr, &line))
        st = lb_fail(err, LB_EINVAL, "%s:%ld: %s; nothing was imported", o.source, line, derr.msg);
    if (st == LB_OK) {
        sum.sep_line = sep > 0;
        snprintf(sum.encoding, sizeof sum.encoding, "%s", decode_encoding(dec));
        sum.delimiter = delim;
    }
    csv_close(r);
    decode_close(dec);
    if (in.f != stdin)
        fclose(in.f);
    st = rejects_close(&rf, st, !o.dry_run, err);
    if (st == LB_OK)
        print_summary(c, o.source, rejects, &sum);
    return st;
}

/* Writes FILE.tmp and renames it, so that FILE is either whole or absent. */
int cmd_export(cli *c, const cmd_args *a, lb_err *err)
{
    const char *path = a->npos ? a->pos[0] : "-";
    stream out = {stdout, 0};
    int64_t n = 0;
    lb_status st;

    if (c->fmt_given && c->fmt != FMT_CSV)
        return lb_fail(err, LB_EUSAGE,
                       "export writes CSV only (what import reads back); for other formats use "
                       "'leadboard list --format FORMAT'");

    if (strcmp(path, "-") == 0) {
        st = export_csv(c->db, write_stream, &out, &n, err);
        if (st == LB_OK && fflush(stdout) != 0)
            st = lb_fail(err, LB_EDB, "cannot write output: %s", strerror(errno));
        return st;
    }

    struct stat sb;
    if (lstat(path, &sb) == 0)
        return lb_fail(err, LB_EINVAL,
                       "%s exists; export writes a new file (choose another name "
                       "or remove it)",
                       path);
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return lb_fail(err, LB_EUSAGE, "the file name is too long");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0660);
    if (fd < 0 && errno == EEXIST)
        return lb_fail(err, LB_EINVAL,
                       "%s exists (left by an interrupted export?); remove it and try again", tmp);
    if (fd < 0)
        return lb_fail(err, LB_EINVAL, "cannot create %s: %s", tmp, strerror(errno));
    out.f = fdopen(fd, "wb");
    if (!out.f) {
        close(fd);
        unlink(tmp);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    st = export_csv(c->db, write_stream, &out, &n, err);
    if (st == LB_OK && (fflush(out.f) != 0 || fsync(fileno(out.f)) != 0))
        out.error = errno;
    if (fclose(out.f) != 0 && st == LB_OK && !out.error)
        out.error = errno;
    if (out.error)
        st = lb_fail(err, LB_EDB, "cannot write %s: %s", tmp, strerror(out.error));
    if (st == LB_OK && lstat(path, &sb) == 0)
        st = lb_fail(err, LB_EINVAL, "%s appeared while exporting; nothing was replaced", path);
    if (st == LB_OK && rename(tmp, path) != 0)
        st = lb_fail(err, LB_EINVAL, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (st != LB_OK) {
        unlink(tmp);
        return st;
    }
    cli_say(c, "exported %lld lead%s to %s", (long long)n, n == 1 ? "" : "s", path);
    return LB_OK;
}
