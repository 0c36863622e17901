-- leadboard schema, version 6: the same CHECK rules, spelt so an insert
-- costs a few comparisons instead of a temporary table.
--
-- SQLite evaluates `x IN ('a', 'b', 'c', ...)` (more than two values) by
-- building a temporary b-tree of the values, once per run of a statement:
-- every INSERT of a lead or a follow-up opened, filled and freed one, which
-- was half the time of loading a million leads.  `x = 'a' OR x = 'b' ...`
-- is the same rule, checked with plain comparisons.  Each is named, so a
-- refusal reads "CHECK constraint failed: known_stage", on one line.
--
-- Only the text of the CREATE TABLE statements changes, not a stored byte,
-- and every row that met the old rule meets the new one (it is the same
-- rule), so the tables are edited in place as SQLite documents for changing
-- constraints (lang_altertable.html, "Making Other Kinds Of Table Schema
-- Changes"): the runner then moves the schema cookie on, so every open
-- connection reads the new text, and this one reloads it.
PRAGMA writable_schema = ON;

UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (team IN (''marketing'', ''sales'', ''manager''))',
                     'CONSTRAINT known_team CHECK (team = ''marketing'' OR team = ''sales'' OR team = ''manager'')')
 WHERE type = 'table' AND name = 'users';

UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (channel IN
               (''event'', ''webinar'', ''email'', ''paid'', ''content'', ''referral'',
                ''partner'', ''outbound'', ''other''))',
                     'CONSTRAINT known_channel CHECK (channel = ''event'' OR channel = ''webinar'' OR
                 channel = ''email'' OR channel = ''paid'' OR channel = ''content'' OR
                 channel = ''referral'' OR channel = ''partner'' OR
                 channel = ''outbound'' OR channel = ''other'')')
 WHERE type = 'table' AND name = 'campaigns';

UPDATE sqlite_master
   SET sql = replace(sql, 'CHECK (stage IN
                   (''nurture'', ''handed_off'', ''accepted'', ''contacted'',
                    ''qualified'', ''proposal'', ''won'', ''lost''))',
                     'CONSTRAINT known_stage CHECK (stage = ''nurture'' OR stage = ''handed_off'' OR
                   stage = ''accepted'' OR stage = ''contacted'' OR
                   stage = ''qualified'' OR stage = ''proposal'' OR
                   stage = ''won'' OR stage = ''lost'')')
 WHERE type = 'table' AND name = 'leads';

UPDATE sqlite_master
   SET sql = replace(replace(sql,
                     'CHECK (kind IN (''call'', ''email'', ''meeting'', ''note''))',
                     'CONSTRAINT known_kind CHECK (kind = ''call'' OR kind = ''email'' OR kind = ''meeting'' OR
               kind = ''note'')'),
                     'CHECK (outcome IN
               (''connected'', ''voicemail'', ''no_answer'', ''meeting_booked'',
                ''not_interested'', ''wrong_contact''))',
                     'CONSTRAINT known_outcome CHECK (outcome = ''connected'' OR outcome = ''voicemail'' OR
               outcome = ''no_answer'' OR outcome = ''meeting_booked'' OR
               outcome = ''not_interested'' OR outcome = ''wrong_contact'')')
 WHERE type = 'table' AND name = 'followups';

-- RESET also makes this connection read the edited text.
PRAGMA writable_schema = RESET;
