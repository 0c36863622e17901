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

typedef enum { DUP_SKIP, DUP_UPDATE, DUP_ERROR } lb_dup_mode;
/* "skip", "update" or "error". */
lb_status dup_mode_parse(const char *s, lb_dup_mode *out, lb_err *err);

typedef struct lb_import_opts {
    const char *source;   /* the file as named in messages: "leads.csv", "stdin" */
    const char *campaign; /* every row's campaign (must exist); NULL: the row's own */
    bool dry_run;         /* check everything, write nothing */
    lb_dup_mode on_duplicate;
} lb_import_opts;

#define IMPORT_LIST_MAX 1024

typedef struct lb_import_summary {
    int64_t added, updated;
    int64_t skipped;     /* duplicates + not_updated */
    int64_t duplicates;  /* left as they were (skip, or nothing to change) */
    int64_t not_updated; /* update refused: marketing edits only nurture leads */
    int64_t notes_cut;   /* leads whose notes had no room for every unknown column */
    long notes_cut_line; /* the first of them */
    int64_t blank_rows;  /* rows of empty fields, skipped */
    int created_campaigns_n, unknown_columns_n;
    char created_campaigns[IMPORT_LIST_MAX]; /* "Web, Trade Show" */
    char unknown_columns[IMPORT_LIST_MAX];   /* "Lead ID, Industry" */
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

/* Receives export output; non-zero: the write failed. */
typedef int (*lb_write_fn)(void *ud, const char *data, size_t n);

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

/* Adds leads, each with its "create" event (at, by actor_id and os_login,
 * with a note), through statements prepared once and bound without copies.
 * Expects the caller's transaction. */
typedef struct lb_lead_bulk lb_lead_bulk;
lb_status lead_bulk_open(lb_db *db, const char *at, int64_t actor_id, const char *os_login,
                         lb_lead_bulk **out, lb_err *err);
/* Inserts l and sets its id and version. */
lb_status lead_bulk_add(lb_lead_bulk *b, lb_lead *l, const char *note, lb_err *err);
/* Before the commit: the derived counts rebuilt once (see db_bulk_begin). */
lb_status lead_bulk_finish(lb_lead_bulk *b, lb_err *err);
void lead_bulk_close(lb_lead_bulk *b);

#endif
