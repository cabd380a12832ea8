-- Invites can be revoked; the open codes of a person are found without a scan.
ALTER TABLE invites ADD COLUMN revoked_at TEXT;
CREATE INDEX invites_open_envoy ON invites(envoy_id)
    WHERE used_at IS NULL AND revoked_at IS NULL AND envoy_id IS NOT NULL;
CREATE INDEX invites_open_enterprise ON invites(enterprise_id)
    WHERE used_at IS NULL AND revoked_at IS NULL AND enterprise_id IS NOT NULL;
