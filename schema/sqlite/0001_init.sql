-- leadboard schema, version 1.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sortable, readable in the sqlite3
-- shell); money is integer cents; people are users.id.

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  login      TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL DEFAULT '',
  team       TEXT NOT NULL CHECK (team IN ('marketing', 'sales', 'manager')),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL
);

CREATE TABLE campaigns (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  channel    TEXT NOT NULL DEFAULT 'other' CHECK (channel IN
               ('event', 'webinar', 'email', 'paid', 'content', 'referral',
                'partner', 'outbound', 'other')),
  cost       INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
  start_date TEXT,
  end_date   TEXT,
  created_at TEXT NOT NULL
);

-- furthest: rank of the furthest stage ever entered on the path
-- nurture(0) → handed_off(1) → accepted(2) → contacted(3) → qualified(4)
-- → proposal(5) → won(6); the funnel reads it without replaying events.
CREATE TABLE leads (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  company        TEXT NOT NULL DEFAULT '',
  title          TEXT NOT NULL DEFAULT '',
  email          TEXT NOT NULL DEFAULT '',
  phone          TEXT NOT NULL DEFAULT '',
  notes          TEXT NOT NULL DEFAULT '',
  campaign_id    INTEGER REFERENCES campaigns(id),
  value          INTEGER CHECK (value IS NULL OR value >= 0),
  marketer_id    INTEGER REFERENCES users(id),
  owner_id       INTEGER REFERENCES users(id),
  stage          TEXT NOT NULL DEFAULT 'nurture' CHECK (stage IN
                   ('nurture', 'handed_off', 'accepted', 'contacted',
                    'qualified', 'proposal', 'won', 'lost')),
  reason         TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  stage_at       TEXT NOT NULL,
  handed_off_at  TEXT,
  accepted_at    TEXT,
  first_touch_at TEXT,
  last_touch_at  TEXT,
  next_due_at    TEXT,
  closed_at      TEXT,
  furthest       INTEGER NOT NULL DEFAULT 0,
  rejections     INTEGER NOT NULL DEFAULT 0,
  stars          INTEGER CHECK (stars IS NULL OR stars BETWEEN 1 AND 5),
  version        INTEGER NOT NULL DEFAULT 1,
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER REFERENCES users(id)
);
CREATE INDEX leads_stage ON leads(stage, id);
CREATE INDEX leads_owner ON leads(owner_id, stage);
CREATE INDEX leads_marketer ON leads(marketer_id);
CREATE INDEX leads_campaign ON leads(campaign_id, stage);
CREATE INDEX leads_email ON leads(email COLLATE NOCASE) WHERE email <> '';

CREATE TABLE followups (
  id         INTEGER PRIMARY KEY,
  lead_id    INTEGER NOT NULL REFERENCES leads(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
  outcome    TEXT NOT NULL CHECK (outcome IN
               ('connected', 'voicemail', 'no_answer', 'meeting_booked',
                'not_interested', 'wrong_contact')),
  note       TEXT NOT NULL DEFAULT '',
  next_step  TEXT NOT NULL DEFAULT '',
  due_at     TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX followups_lead ON followups(lead_id, created_at);
CREATE INDEX followups_due ON followups(due_at) WHERE due_at IS NOT NULL;

-- reasons: comma-separated tags from fit, budget, authority, need, timing,
-- contact_data, duplicate.
CREATE TABLE ratings (
  id          INTEGER PRIMARY KEY,
  lead_id     INTEGER NOT NULL REFERENCES leads(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  stars       INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  reasons     TEXT NOT NULL DEFAULT '',
  comment     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  reviewed_by INTEGER REFERENCES users(id),
  reviewed_at TEXT,
  reply       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ratings_lead ON ratings(lead_id, id);
CREATE INDEX ratings_unreviewed ON ratings(reviewed_at, id);

CREATE TABLE comments (
  id         INTEGER PRIMARY KEY,
  lead_id    INTEGER NOT NULL REFERENCES leads(id),
  user_id    INTEGER NOT NULL REFERENCES users(id),
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX comments_lead ON comments(lead_id, id);

CREATE TABLE goals (
  period         TEXT PRIMARY KEY,
  revenue_target INTEGER NOT NULL CHECK (revenue_target >= 0),
  wins_target    INTEGER CHECK (wins_target IS NULL OR wins_target >= 0),
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER REFERENCES users(id)
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings(key, value) VALUES
  ('sla.accept_hours', '24'),
  ('sla.first_touch_hours', '48'),
  ('stale_days', '7');

-- The audit log: one row per change. actor_id is the acting leadboard user
-- (NULL while bootstrapping the first user), os_login the operating-system
-- account that ran the command.
CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor_id  INTEGER REFERENCES users(id),
  os_login  TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER,
  lead_id   INTEGER REFERENCES leads(id),
  action    TEXT NOT NULL,
  field     TEXT NOT NULL DEFAULT '',
  old_value TEXT,
  new_value TEXT,
  note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_lead ON events(lead_id, id) WHERE lead_id IS NOT NULL;
CREATE INDEX events_at ON events(at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
