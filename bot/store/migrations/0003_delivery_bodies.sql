-- Digests of delivered bodies. A webhook's signature covers no delivery id
-- and no timestamp, so a captured body replayed under a fresh
-- X-GitHub-Delivery is recognised by its content. Kept as long as delivery
-- ids (DeliveryRetention) and pruned with them.
CREATE TABLE delivery_bodies (
	digest  TEXT PRIMARY KEY,
	seen_at BIGINT NOT NULL
);
CREATE INDEX delivery_bodies_seen_at ON delivery_bodies (seen_at);
