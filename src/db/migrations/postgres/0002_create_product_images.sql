-- The enhanced images of a product. image_url and thumbnail_url hold object-store keys; a
-- product has at most one row per key, so a retried job updates its rows instead of adding more.
-- recipe is TEXT, not JSONB: it is returned byte for byte as the planner wrote it.
CREATE TABLE product_images (
  id BIGSERIAL PRIMARY KEY,
  product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  image_url TEXT NOT NULL CHECK (image_url <> ''),
  thumbnail_url TEXT NOT NULL,
  variant TEXT NOT NULL,
  prompt TEXT NOT NULL,
  recipe TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  bytes BIGINT,
  status TEXT NOT NULL DEFAULT 'pending_review'
    CHECK (status IN ('pending_review', 'approved', 'rejected')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (product_id, image_url)
);

CREATE INDEX product_images_product_created_idx ON product_images (product_id, created_at);
