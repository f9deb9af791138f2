-- Columns of a ticket export that match no field belong to the ticket
-- (GLPI's per-interaction columns), not to the customer.
ALTER TABLE feedback ADD COLUMN attrs TEXT NOT NULL DEFAULT '{}';
