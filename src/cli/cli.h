/* The command line: argument parsing, output formats and the commands.  A
 * thin layer: every rule is in the core's actions. */
#ifndef LEADBOARD_CLI_H
#define LEADBOARD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "leadboard/actions.h"

/* ---- output ---- */

typedef enum { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_MD } out_format;
/* COL_PERCENT is a ratio with two decimals in csv, tsv and json ("45.92") and
 * a percentage for people in the table and markdown ("4,592%"). */
/* COL_PROSE: text someone wrote to be read (a comment, a reply), never cut
 * in a table; otherwise COL_TEXT. */
typedef enum {
    COL_TEXT,
    COL_INT,
    COL_MONEY,
    COL_TIME,
    COL_BOOL,
    COL_RATIO,
    COL_PERCENT,
    COL_PROSE
} col_type;

typedef struct out_col {
    const char *name;
    col_type type;
    bool table_hidden; /* only in csv, tsv and json */
} out_col;

typedef struct out_writer out_writer;

/* Values are given in machine form ("12500.00", ISO times, "1"/"0" for
 * booleans, NULL or "" for empty); the table form prettifies them.  The
 * table is buffered to align it; the other formats stream. */
out_writer *out_begin(FILE *f, out_format fmt, const out_col *cols, int ncols);
void out_row(out_writer *w, const char *const *values);
/* The table and markdown forms are read by people: a value written into a
 * text cell (the stand-up's detail) takes their money format too. */
bool out_for_people(const out_writer *w);
void out_end(out_writer *w);
/* A JSON string: controls, C1 and bidi overrides as \uXXXX escapes. */
void out_json_string(FILE *f, const char *s);
/* s under the output rule (text_escape), malloc'd; NULL when out of memory. */
char *out_shown(const char *s, bool keep_lines);
/* Every error line goes through here: "leadboard: MESSAGE" on stderr, the
 * message under the output rule, so no argument, CSV cell or environment
 * value echoed in it reaches the terminal as a control sequence. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- arguments ---- */

#define ARG_MAX_OPTS 16
#define ARG_MAX_POS 8
#define ARG_MAX_REPEAT 16

typedef struct opt_spec {
    const char *name; /* without "--" */
    bool takes_value;
    bool repeatable;
} opt_spec;

typedef struct cmd_args {
    int npos;
    const char *pos[ARG_MAX_POS];
    struct {
        const char *name;
        int count;
        const char *values[ARG_MAX_REPEAT];
    } opts[ARG_MAX_OPTS];
    int nopts;
} cmd_args;

/* The last value of --name, or NULL. */
const char *arg_get(const cmd_args *a, const char *name);
bool arg_has(const cmd_args *a, const char *name);
int arg_all(const cmd_args *a, const char *name, const char *const **values);

/* ---- commands ---- */

typedef struct cli {
    lb_db *db;
    lb_ctx ctx;
    out_format fmt;
    bool fmt_given; /* --format was given: no confirmation sentences */
    const char *db_path;
} cli;

typedef int (*cmd_fn)(cli *c, const cmd_args *a, lb_err *err);

typedef struct cmd_def {
    const char *name; /* "lead add" */
    cmd_fn run;
    int min_pos, max_pos;
    const char *usage;   /* after the name */
    const char *summary; /* one line */
    const opt_spec *opts;
    bool no_db;          /* help, version */
    const char *details; /* more for 'leadboard help COMMAND', or NULL */
} cmd_def;

extern const cmd_def cli_commands[];
extern const int cli_ncommands;

int cli_main(int argc, char **argv);

/* A confirmation sentence for people (suppressed with --format). */
void cli_say(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formatting helpers for output rows. */
void fmt_money_opt(bool has, int64_t cents, char *buf, size_t n);
void fmt_int(int64_t v, char *buf, size_t n);

/* Commands implemented in cmd_leads.c. */
int cmd_lead_add(cli *c, const cmd_args *a, lb_err *err);
int cmd_lead_edit(cli *c, const cmd_args *a, lb_err *err);
int cmd_lead_show(cli *c, const cmd_args *a, lb_err *err);
int cmd_list(cli *c, const cmd_args *a, lb_err *err);
int cmd_handoff(cli *c, const cmd_args *a, lb_err *err);
int cmd_accept(cli *c, const cmd_args *a, lb_err *err);
int cmd_reject(cli *c, const cmd_args *a, lb_err *err);
int cmd_move(cli *c, const cmd_args *a, lb_err *err);
int cmd_log(cli *c, const cmd_args *a, lb_err *err);
int cmd_rate(cli *c, const cmd_args *a, lb_err *err);
int cmd_comment(cli *c, const cmd_args *a, lb_err *err);

/* Implemented in cmd_data.c. */
int cmd_import(cli *c, const cmd_args *a, lb_err *err);
int cmd_export(cli *c, const cmd_args *a, lb_err *err);
extern const char cli_import_help[];
extern const char cli_export_help[];

/* Implemented in cmd_assets.c: assets, undo, the assets report, and the
 * work-in-progress warning of a hand-off (on stderr, it is not refused). */
int cmd_asset_add(cli *c, const cmd_args *a, lb_err *err);
int cmd_asset_list(cli *c, const cmd_args *a, lb_err *err);
int cmd_undo(cli *c, const cmd_args *a, lb_err *err);
void cli_wip_warning(cli *c, const char *login);
struct lb_report_range;
int cli_report_assets(cli *c, const struct lb_report_range *r, lb_err *err);
extern const char cli_asset_help[];
extern const char cli_undo_help[];

/* Implemented in cmd_reports.c. */
int cmd_report(cli *c, const cmd_args *a, lb_err *err);

#endif
