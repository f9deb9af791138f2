-- Rapport schema, version 1: the whole data model of DESIGN §3.
-- Text columns are NOT NULL DEFAULT '' and '' means "absent"; timestamps are
-- UTC RFC 3339 with a fixed width ("2006-01-02T15:04:05Z") so they sort as text.

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    email_key       TEXT NOT NULL DEFAULT '',   -- case-folded email, for identity
    phone           TEXT NOT NULL DEFAULT '',
    phone_digits    TEXT NOT NULL DEFAULT '',   -- digits only, for identity and search
    company         TEXT NOT NULL DEFAULT '',
    plan            TEXT NOT NULL DEFAULT '',
    region          TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT '',
    gender          TEXT NOT NULL DEFAULT '',
    lifecycle       TEXT NOT NULL DEFAULT 'new' CHECK (lifecycle IN
                      ('new','activated','retained','paying','referrer','at_risk','churned')),
    ltv             REAL NOT NULL DEFAULT 0 CHECK (ltv >= 0),
    attrs           TEXT NOT NULL DEFAULT '{}', -- JSON object of imported extras
    -- derived figures, kept current by the store on every write
    csat_sum        INTEGER NOT NULL DEFAULT 0,
    csat_n          INTEGER NOT NULL DEFAULT 0,
    csat_avg        REAL,
    nps_last        INTEGER,
    feedback_n      INTEGER NOT NULL DEFAULT 0,
    complaints_open INTEGER NOT NULL DEFAULT 0,
    followups_open  INTEGER NOT NULL DEFAULT 0,
    last_contact_at TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
-- One index per sortable column, each ending in id, so keyset pages are
-- short range scans at any depth.
CREATE INDEX customers_by_name      ON customers(name, id);
CREATE INDEX customers_by_company   ON customers(company, id);
CREATE INDEX customers_by_plan      ON customers(plan, id);
CREATE INDEX customers_by_lifecycle ON customers(lifecycle, id);
-- no answers sort after every score (9), so "lowest CSAT first" shows the unhappy
CREATE INDEX customers_by_csat      ON customers(coalesce(csat_avg, 9), id);
CREATE INDEX customers_by_contact   ON customers(coalesce(last_contact_at, ''), id);
CREATE INDEX customers_by_followups ON customers(followups_open, id);
CREATE INDEX customers_by_ltv       ON customers(ltv, id);
CREATE INDEX customers_by_email     ON customers(email_key) WHERE email_key <> '';
CREATE INDEX customers_by_phone     ON customers(phone_digits) WHERE phone_digits <> '';

-- The same person in two exports is one customer.
CREATE TABLE customer_keys (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (source, external_id)
) WITHOUT ROWID;
CREATE INDEX customer_keys_by_customer ON customer_keys(customer_id);

-- Substring search (Chinese included) over the fields people type.
CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, email, phone_digits, company,
    content='customers', content_rowid='id', tokenize='trigram');
CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts(rowid, name, email, phone_digits, company)
    VALUES (new.id, new.name, new.email, new.phone_digits, new.company);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email, phone_digits, company)
    VALUES ('delete', old.id, old.name, old.email, old.phone_digits, old.company);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF name, email, phone_digits, company ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, email, phone_digits, company)
    VALUES ('delete', old.id, old.name, old.email, old.phone_digits, old.company);
    INSERT INTO customers_fts(rowid, name, email, phone_digits, company)
    VALUES (new.id, new.name, new.email, new.phone_digits, new.company);
END;

-- Two-character Chinese searches (a full name like 陈静) are below the
-- trigram tokenizer's reach; this table holds the CJK bigrams of name and
-- company, maintained by the store (see grams.go).
CREATE VIRTUAL TABLE customers_grams USING fts5(
    grams, content='', contentless_delete=1, tokenize='unicode61');

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX customer_tags_by_tag ON customer_tags(tag_id, customer_id);

-- Two-level taxonomy: Billing, Billing/Refund.
CREATE TABLE categories (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    path      TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    source      TEXT NOT NULL DEFAULT 'manual',
    external_id TEXT,
    channel     TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'feedback'
                  CHECK (kind IN ('feedback','complaint','praise','question','request')),
    subject     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    priority    TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','pending','resolved','closed')),
    csat        INTEGER CHECK (csat BETWEEN 1 AND 5),
    csat_raw    TEXT,
    nps         INTEGER CHECK (nps BETWEEN 0 AND 10),
    agent       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX feedback_by_customer ON feedback(customer_id, created_at);
CREATE INDEX feedback_by_created  ON feedback(created_at, id);
CREATE INDEX feedback_by_status   ON feedback(status, created_at);
CREATE UNIQUE INDEX feedback_by_external ON feedback(source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE feedback_tags (
    feedback_id INTEGER NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (feedback_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX feedback_tags_by_tag ON feedback_tags(tag_id, feedback_id);

-- Keyword/regex rules that classify feedback.
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY,
    pattern     TEXT NOT NULL,
    category_id INTEGER REFERENCES categories(id) ON DELETE SET NULL,
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON array of tag names
    kind        TEXT,
    priority    TEXT,
    enabled     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE followups (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    feedback_id INTEGER REFERENCES feedback(id) ON DELETE SET NULL,
    assignee    TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    campaign    TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    done_at     TEXT,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX followups_by_assignee ON followups(assignee, status, due_at, id);
CREATE INDEX followups_by_due      ON followups(status, due_at, id);
CREATE INDEX followups_by_customer ON followups(customer_id, status);
CREATE INDEX followups_by_campaign ON followups(campaign, customer_id) WHERE campaign <> '';

CREATE TABLE notes (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    agent       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX notes_by_customer ON notes(customer_id, created_at);

-- Saved segment rules (分层); warn marks a churn warning line (流失预警线).
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    expression  TEXT NOT NULL,
    warn        INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE import_runs (
    id                INTEGER PRIMARY KEY,
    file              TEXT NOT NULL,
    preset            TEXT NOT NULL DEFAULT '',
    encoding          TEXT NOT NULL DEFAULT '',
    delimiter         TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL DEFAULT '',
    rows              INTEGER NOT NULL DEFAULT 0,
    customers_created INTEGER NOT NULL DEFAULT 0,
    customers_updated INTEGER NOT NULL DEFAULT 0,
    feedback_created  INTEGER NOT NULL DEFAULT 0,
    feedback_updated  INTEGER NOT NULL DEFAULT 0,
    unchanged         INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    errors            INTEGER NOT NULL DEFAULT 0,
    error_sample      TEXT NOT NULL DEFAULT '[]',
    agent             TEXT NOT NULL DEFAULT '',
    started_at        TEXT NOT NULL,
    finished_at       TEXT
);

-- Every change, with the agent who made it.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    agent     TEXT NOT NULL,
    entity    TEXT NOT NULL,   -- customer | feedback | followup | note | segment | ...
    entity_id INTEGER NOT NULL,
    action    TEXT NOT NULL,   -- create | update | delete | ...
    changes   TEXT NOT NULL DEFAULT '{}' -- JSON: field -> [old, new]
);
CREATE INDEX audit_by_entity ON audit(entity, entity_id, id);
CREATE INDEX audit_by_at     ON audit(at);
