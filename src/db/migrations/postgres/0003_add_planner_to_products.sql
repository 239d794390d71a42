-- Which planner made a product's current images, what it wants a reviewer to know (a fallback,
-- say), and the tokens a remote planner used for them.
ALTER TABLE products ADD COLUMN planner TEXT;
ALTER TABLE products ADD COLUMN planner_note TEXT;
ALTER TABLE products ADD COLUMN planner_prompt_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN planner_output_tokens BIGINT NOT NULL DEFAULT 0;
