-- leadboard schema, version 15: an undo puts back a recycled lead's date to
-- revisit too (a hand-off clears it; undoing the hand-off must bring it
-- back).  Changes recorded before this version keep the lead's date as it
-- is now, as their undo did until now.
ALTER TABLE change_leads ADD COLUMN revisit_at TEXT COLLATE "C";
UPDATE change_leads SET revisit_at = (SELECT l.revisit_at FROM changes c
                                        JOIN leads l ON l.id = c.lead_id
                                       WHERE c.id = change_leads.change_id);
