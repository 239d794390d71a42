-- Products as created by the API or the seed, and where each one is in the enhancement flow.
-- The same columns and rules as the SQLite schema; timestamps are TIMESTAMPTZ (the program writes
-- them from its clock; the defaults serve rows inserted by hand).
CREATE TABLE products (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL CHECK (name <> ''),
  category TEXT NOT NULL DEFAULT '',
  raw_image_url TEXT NOT NULL CHECK (raw_image_url <> ''),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'queued', 'processing', 'pending_review', 'approved', 'rejected',
                      'failed')),
  error TEXT,
  source_hash TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX products_status_idx ON products (status);
