/* Leads in and out as CSV: the import maps the columns of CRM exports
 * (Salesforce, HubSpot, leadboard's own export) onto leads, validates every
 * row as `lead add` does and writes the whole file in one transaction or
 * nothing; the export writes every lead so that the import reads it back. */
#ifndef LEADBOARD_IMPORT_H
#define LEADBOARD_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/actions.h"
#include "leadboard/csv.h"
#include "leadboard/db.h"

/* What a column means.  Header names match ignoring case, spaces, '_' and
 * '-' ("First Name", "first_name", "FIRSTNAME"). */
typedef enum {
    IMP_UNKNOWN = 0, /* kept in the lead's notes as "Column: value" */
    IMP_IGNORED,     /* the id in leadboard's export: the old board's, not restored */
    IMP_FIRST_NAME,
    IMP_LAST_NAME,
    IMP_NAME,
    IMP_COMPANY,
    IMP_TITLE,
    IMP_EMAIL,
    IMP_PHONE,
    IMP_MOBILE, /* used when Phone is absent or empty */
    IMP_CAMPAIGN,
    IMP_VALUE,
    IMP_NOTES,
    /* leadboard's own export (known by its stage_at column); restored for
     * managers only.  In another file, marketing keeps them in the notes. */
    IMP_STAGE,
    IMP_OWNER,
    IMP_MARKETER,
    IMP_REASON,
    IMP_CREATED_AT, /* honoured for everyone */
    IMP_STAGE_AT,
    IMP_HANDED_OFF_AT,
    IMP_ACCEPTED_AT,
    IMP_FIRST_TOUCH_AT,
    IMP_LAST_TOUCH_AT,
    IMP_NEXT_DUE_AT,
    IMP_CLOSED_AT,
    IMP_FURTHEST,   /* the furthest path stage ever entered (the funnel) */
    IMP_REJECTIONS, /* how often it was rejected (campaigns' rejected) */
    IMP_STARS,      /* the latest rating's stars */
    /* the campaign's own, used when the import creates it (everyone) */
    IMP_CAMPAIGN_CHANNEL,
    IMP_CAMPAIGN_COST,
    IMP_FIELD_COUNT
} lb_import_field;

lb_import_field import_map_header(const char *name);
/* A header row's score: how many of its names map to a known column; *who
 * is set when one of them names the person (name, email, company, phone). */
int import_header_score(const char *const *names, int n, bool *who);

typedef enum { DUP_SKIP, DUP_UPDATE, DUP_ERROR } lb_dup_mode;
/* "skip", "update" or "error". */
lb_status dup_mode_parse(const char *s, lb_dup_mode *out, lb_err *err);

/* Receives output (an export, a rejects file); non-zero: the write failed. */
typedef int (*lb_write_fn)(void *ud, const char *data, size_t n);

typedef struct lb_import_opts {
    const char *source;   /* the file as named in messages: "leads.csv", "stdin" */
    const char *campaign; /* every row's campaign (created when missing); NULL: the row's own */
    bool dry_run;         /* check everything, write nothing */
    lb_dup_mode on_duplicate;
    /* --rejects: each bad row goes here as CSV, as it was read, with a
     * reason column, and the good rows are imported; NULL: a bad row stops
     * the import. */
    lb_write_fn rejects;
    void *rejects_ud;
    /* The file's field delimiter (0: ','): a ';' file writes money with a
     * decimal comma ("12.500,00"). */
    char delimiter;
} lb_import_opts;

#define IMPORT_LIST_MAX 1024

typedef struct lb_import_summary {
    /* Every data row is one of added, updated, skipped, empty, rejected:
     * rows = added + updated + skipped + empty + rejected. */
    int64_t rows;
    int64_t added, updated;
    int64_t skipped;     /* duplicates + not_updated */
    int64_t duplicates;  /* left as they were (skip, or nothing to change) */
    int64_t not_updated; /* update refused: marketing edits only nurture leads */
    int64_t empty;       /* nothing that identifies a person (blank_rows among them) */
    int64_t blank_rows;  /* rows of empty fields */
    int64_t rejected;    /* bad rows written to the rejects file */
    /* among the empty: a report's footer below a blank row (a line of one
     * value), from footer_line; and spreadsheet totals ("Total,,,37500") */
    int64_t footer_rows, total_rows;
    long footer_line;
    long first_reject_line; /* and why the first of them was refused (escaped) */
    char first_reject[LB_ERR_MAX];
    long header_line;   /* where the header was found (after a preamble) */
    bool sep_line;      /* line 1 was Excel's "sep=;" (set by the caller) */
    /* the column read as the email because its values are addresses (no
     * header name was known; escaped), "" when none */
    char email_by_content[128];
    int64_t notes_cut;   /* leads whose notes had no room for every unknown column */
    long notes_cut_line; /* the first of them */
    int created_campaigns_n, unknown_columns_n;
    char created_campaigns[IMPORT_LIST_MAX]; /* "Web, Trade Show" */
    char unknown_columns[IMPORT_LIST_MAX];   /* "Lead ID, Industry" (escaped) */
    bool pipeline_ignored; /* marketing: stage, owner, ... columns were present and ignored */
    bool dry_run;
    /* how the file was read (filled by whoever decoded it, see decode.h):
     * "UTF-16LE with BOM", "Windows-1252 (not UTF-8)"...; and its delimiter */
    char encoding[32];
    char delimiter;
} lb_import_summary;

/* Imports the records of r as the acting user (marketing or manager, else
 * LB_EPERM).  Any bad row fails with "SOURCE:LINE: reason" and writes
 * nothing.  Duplicates are rows whose email matches a lead (or an earlier
 * row) case-insensitively: skip keeps the lead, update overwrites its
 * details with the row's non-empty fields (never its stage or owner;
 * marketing's updates to leads past nurture are counted as not_updated),
 * error fails.  Rows enter nurture owned by the importer, except for a
 * manager, whose stage, owner, marketer, reason and timestamp columns are
 * restored as they are (export → import is lossless). */
lb_status import_csv(lb_ctx *ctx, csv_reader *r, const lb_import_opts *o, lb_import_summary *sum,
                     lb_err *err);

/* The export's columns, in order. */
extern const char *const export_columns[];
extern const int export_ncolumns;

/* Writes every lead as CSV (RFC 4180, CRLF, a header row; people by login,
 * money with two decimals, ISO times), streaming. */
lb_status export_csv(lb_db *db, lb_write_fn write, void *ud, int64_t *count, lb_err *err);

/* The store the import needs (src/db/store_import.c): the lead with this
 * email, compared case-insensitively; *id is 0 when there is none. */
lb_status lead_find_by_email(lb_db *db, const char *email, int64_t *id, lb_err *err);
/* Whether any lead has an email (when none has, an import matches its
 * rows' emails among themselves, in memory). */
lb_status lead_any_email(lb_db *db, bool *any, lb_err *err);

/* The staging of an import (issue: a long import must not hold the write
 * lock).  Rows are read, checked and staged apart from the board, holding
 * no write lock; the publish then writes them in one short transaction. */
typedef enum { IMPORT_ADD = 0, IMPORT_UPDATE = 1 } lb_import_op;
typedef struct lb_staged {
    int64_t seq;  /* the row's place in the file's order */
    long line;
    lb_import_op op;
    int64_t rank;       /* IMPORT_ADD: its place among the added (1, 2, ...) */
    int64_t target_id;  /* IMPORT_UPDATE: the board's lead, or 0 and ... */
    int64_t target_seq; /* ... an earlier added row of the file */
    int notes_col;      /* the row had a notes column (update replaces the notes) */
} lb_staged;
typedef struct lb_import_stage lb_import_stage;
/* Makes the staging table and starts the read transaction (no write lock). */
lb_status import_stage_open(lb_db *db, lb_import_stage **out, lb_err *err);
/* Stages a lead (its campaign_id is the import's campaign number, 0: none). */
lb_status import_stage_add(lb_import_stage *s, const lb_lead *l, const lb_staged *meta,
                           lb_err *err);
/* The first staged row with this email (case-insensitively). */
lb_status import_stage_find(lb_import_stage *s, const char *email, lb_staged *found, bool *yes,
                            lb_err *err);
/* Ends the reading (before the publish's write transaction). */
lb_status import_stage_read_done(lb_import_stage *s, lb_err *err);
/* In the publish's transaction: rows to add whose email another process
 * gave a new lead since the reading began; fn non-zero stops. */
lb_status import_stage_conflicts(lb_import_stage *s,
                                 int (*fn)(int64_t seq, long line, int64_t lead_id, void *ud),
                                 void *ud, lb_err *err);
/* A staged row left out; or made (with the rows updating it) an update of lead_id. */
lb_status import_stage_drop(lb_import_stage *s, int64_t seq, lb_err *err);
lb_status import_stage_retarget(lb_import_stage *s, int64_t seq, int64_t lead_id, lb_err *err);
/* The ranks of the rows to add again, after drops and retargets. */
lb_status import_stage_renumber(lb_import_stage *s, lb_err *err);
/* Campaign number idx is campaign id. */
lb_status import_stage_campaign(lb_import_stage *s, int idx, int64_t id, lb_err *err);
/* Adds the staged leads with their "create" events ("imported from
 * SOURCE:LINE"), the derived counts' triggers set aside until
 * import_stage_finish. */
lb_status import_stage_publish(lb_import_stage *s, const char *at, int64_t actor_id,
                               const char *os_login, const char *source, int64_t *added,
                               lb_err *err);
/* The rows that update a lead, in order: name, company, title, phone, notes,
 * campaign_id (the number), value; meta->target_id is the lead's id. */
lb_status import_stage_each_update(lb_import_stage *s,
                                   int (*fn)(lb_lead *l, const lb_staged *meta, void *ud),
                                   void *ud, lb_err *err);
lb_status import_stage_finish(lb_import_stage *s, lb_err *err);
void import_stage_close(lb_import_stage *s);

/* Money as CRM exports write it: "$12,500.00", "12500", "-142.85",
 * "(142.85)", "12.500,00 €" (decimal_comma: a ';' file's "12,50" is 12.50
 * and "12.500" is 12500), "EUR 1 250,00".  Signed cents; a value it cannot
 * read is an error that says so, never a zero. */
lb_status import_money_parse(const char *s, bool decimal_comma, int64_t *cents, lb_err *err);

/* What the import names a lead with no name: its email, else its company,
 * else its phone (into buf, cut to a name's length); false when it has
 * none of them (an empty row). */
bool import_fallback_name(const char *email, const char *company, const char *phone, char *buf,
                          size_t n);

#endif
