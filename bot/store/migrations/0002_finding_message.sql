-- The message a scan gave a finding ("why this line matched"), so
-- /warden explain can say it. Secrets' messages carry only masked values.
ALTER TABLE findings ADD COLUMN message TEXT NOT NULL DEFAULT '';
