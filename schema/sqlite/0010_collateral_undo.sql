-- leadboard schema, version 10: collateral (assets and which follow-ups
-- used them) and undo (each user's changes with what it takes to take them
-- back).

-- Assets marketing makes for sales.  used / leads / won / lost / last_used
-- are the report's numbers, kept exact by the triggers below (whoever
-- writes), so `report assets` reads one row per asset, not every use.
CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind        TEXT NOT NULL DEFAULT 'other'
                CONSTRAINT known_asset_kind CHECK (kind = 'deck' OR kind = 'case_study' OR
                  kind = 'one_pager' OR kind = 'video' OR kind = 'pricing' OR kind = 'demo' OR
                  kind = 'other'),
  url         TEXT NOT NULL DEFAULT '',
  campaign_id INTEGER REFERENCES campaigns(id),
  added_by    INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0,
  leads       INTEGER NOT NULL DEFAULT 0,
  won         INTEGER NOT NULL DEFAULT 0,
  lost        INTEGER NOT NULL DEFAULT 0,
  last_used   TEXT
);
CREATE INDEX assets_campaign ON assets(campaign_id);

-- One row per asset used with a follow-up (an asset at most once in one).
CREATE TABLE asset_uses (
  asset_id    INTEGER NOT NULL REFERENCES assets(id),
  lead_id     INTEGER NOT NULL REFERENCES leads(id),
  followup_id INTEGER NOT NULL REFERENCES followups(id),
  at          TEXT NOT NULL,
  PRIMARY KEY (asset_id, lead_id, followup_id)
) WITHOUT ROWID;
CREATE INDEX asset_uses_followup ON asset_uses(followup_id);
-- A report over a period reads the uses of that period off this.
CREATE INDEX asset_uses_at ON asset_uses(at);

-- The leads each asset was used on, with how many live uses: what keeps
-- assets.leads, won and lost exact when a use is undone or a lead closes.
CREATE TABLE asset_leads (
  asset_id INTEGER NOT NULL,
  lead_id  INTEGER NOT NULL,
  uses     INTEGER NOT NULL,
  last_at  TEXT NOT NULL,
  PRIMARY KEY (asset_id, lead_id)
) WITHOUT ROWID;
CREATE INDEX asset_leads_lead ON asset_leads(lead_id);
-- The Collateral view's leads of one asset, the most recent use first.
CREATE INDEX asset_leads_recent ON asset_leads(asset_id, last_at, lead_id);

-- Undone follow-ups, ratings and comments stay (marked), out of the reports.
ALTER TABLE followups ADD COLUMN undone_at TEXT;
ALTER TABLE ratings ADD COLUMN undone_at TEXT;
ALTER TABLE comments ADD COLUMN undone_at TEXT;
CREATE INDEX ratings_undone ON ratings(id) WHERE undone_at IS NOT NULL;

CREATE TRIGGER asset_counts_use AFTER INSERT ON asset_uses
BEGIN
  INSERT INTO asset_leads(asset_id, lead_id, uses, last_at)
    VALUES (new.asset_id, new.lead_id, 1, new.at)
    ON CONFLICT(asset_id, lead_id) DO UPDATE SET uses = uses + 1,
      last_at = max(last_at, excluded.last_at);
  UPDATE assets SET used = used + 1,
         last_used = max(coalesce(last_used, ''), new.at),
         leads = leads + (SELECT al.uses = 1 FROM asset_leads al
                           WHERE al.asset_id = new.asset_id AND al.lead_id = new.lead_id),
         won = won + (SELECT al.uses = 1 AND l.stage = 'won' FROM asset_leads al, leads l
                       WHERE al.asset_id = new.asset_id AND al.lead_id = new.lead_id
                         AND l.id = new.lead_id),
         lost = lost + (SELECT al.uses = 1 AND l.stage = 'lost' FROM asset_leads al, leads l
                         WHERE al.asset_id = new.asset_id AND al.lead_id = new.lead_id
                           AND l.id = new.lead_id)
   WHERE id = new.asset_id;
END;

CREATE TRIGGER asset_counts_undone AFTER UPDATE OF undone_at ON followups
  WHEN old.undone_at IS NULL AND new.undone_at IS NOT NULL
BEGIN
  UPDATE asset_leads SET uses = uses - 1,
         last_at = coalesce((SELECT max(u.at) FROM asset_uses u JOIN followups f ON f.id = u.followup_id
                              WHERE u.asset_id = asset_leads.asset_id
                                AND u.lead_id = asset_leads.lead_id AND f.undone_at IS NULL), '')
   WHERE lead_id = new.lead_id
     AND asset_id IN (SELECT asset_id FROM asset_uses WHERE followup_id = new.id);
  UPDATE assets SET used = used - 1,
         leads = leads - (SELECT al.uses = 0 FROM asset_leads al
                           WHERE al.asset_id = assets.id AND al.lead_id = new.lead_id),
         won = won - (SELECT al.uses = 0 AND l.stage = 'won' FROM asset_leads al, leads l
                       WHERE al.asset_id = assets.id AND al.lead_id = new.lead_id
                         AND l.id = new.lead_id),
         lost = lost - (SELECT al.uses = 0 AND l.stage = 'lost' FROM asset_leads al, leads l
                         WHERE al.asset_id = assets.id AND al.lead_id = new.lead_id
                           AND l.id = new.lead_id)
   WHERE id IN (SELECT asset_id FROM asset_uses WHERE followup_id = new.id);
  DELETE FROM asset_leads WHERE lead_id = new.lead_id AND uses = 0;
  UPDATE assets SET last_used = (SELECT max(al.last_at) FROM asset_leads al
                                  WHERE al.asset_id = assets.id)
   WHERE id IN (SELECT asset_id FROM asset_uses WHERE followup_id = new.id);
END;

-- A lead won, lost or reopened moves its assets' won and lost counts.
CREATE TRIGGER asset_counts_stage AFTER UPDATE OF stage ON leads
  WHEN old.stage <> new.stage AND (old.stage = 'won' OR old.stage = 'lost' OR
                                   new.stage = 'won' OR new.stage = 'lost')
BEGIN
  UPDATE assets SET won = won + (new.stage = 'won') - (old.stage = 'won'),
                    lost = lost + (new.stage = 'lost') - (old.stage = 'lost')
   WHERE id IN (SELECT asset_id FROM asset_leads WHERE lead_id = new.id);
END;

-- Each user's undoable changes to a lead: what it was (kind: handoff,
-- accept, reject, move, log, rate, comment, edit, review), the follow-up,
-- rating or comment it made or the rating it reviewed (entity_id), the
-- lead's version after it, and what a review replaced.  undone_at marks
-- one taken back (the undo itself is in the audit log).
CREATE TABLE changes (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id),
  lead_id       INTEGER NOT NULL REFERENCES leads(id),
  kind          TEXT NOT NULL,
  entity_id     INTEGER,
  at            TEXT NOT NULL,
  version_after INTEGER NOT NULL,
  review_by     INTEGER,
  review_at     TEXT,
  review_reply  TEXT,
  undone_at     TEXT,
  undone_by     INTEGER REFERENCES users(id),
  undone_version INTEGER
);
CREATE INDEX changes_user ON changes(user_id, id);
CREATE INDEX changes_lead ON changes(lead_id, id);

-- The lead as it was before each change: what the undo puts back.
CREATE TABLE change_leads (
  change_id      INTEGER PRIMARY KEY REFERENCES changes(id),
  name           TEXT NOT NULL,
  company        TEXT NOT NULL,
  title          TEXT NOT NULL,
  email          TEXT NOT NULL,
  phone          TEXT NOT NULL,
  notes          TEXT NOT NULL,
  campaign_id    INTEGER,
  value          INTEGER,
  marketer_id    INTEGER,
  owner_id       INTEGER,
  stage          TEXT NOT NULL,
  reason         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  stage_at       TEXT NOT NULL,
  handed_off_at  TEXT,
  accepted_at    TEXT,
  first_touch_at TEXT,
  last_touch_at  TEXT,
  next_due_at    TEXT,
  closed_at      TEXT,
  furthest       INTEGER NOT NULL,
  rejections     INTEGER NOT NULL,
  stars          INTEGER,
  version        INTEGER NOT NULL
);

-- Undone ratings leave marketing's unreviewed count.
CREATE TRIGGER feedback_counts_undone AFTER UPDATE OF undone_at ON ratings
  WHEN (old.undone_at IS NULL) <> (new.undone_at IS NULL) AND new.reviewed_at IS NULL
BEGIN
  UPDATE feedback_counts
     SET unreviewed = unreviewed + (new.undone_at IS NULL) - (old.undone_at IS NULL);
END;

INSERT INTO settings(key, value) VALUES ('undo_minutes', '15');
