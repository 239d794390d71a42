-- Products as created by the API or the seed, and where each one is in the enhancement flow.
-- Timestamps are ISO 8601 UTC text with milliseconds ("2026-11-29T02:07:47.123Z"), which sorts
-- in time order.
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  category TEXT NOT NULL DEFAULT '',
  raw_image_url TEXT NOT NULL CHECK (raw_image_url <> ''),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'queued', 'processing', 'pending_review', 'approved', 'rejected',
                      'failed')),
  error TEXT,
  source_hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX products_status_idx ON products (status);
