"""A database guard against cycles in the party-org tree, so no code path (admin, shell, SQL) can make one.

PostgreSQL walks the ancestors of the new parent; SQLite, whose triggers cannot hold a recursive query,
checks the materialised path of the new parent for the node's own id.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION orgs_partyorg_no_cycle() RETURNS trigger AS $$
BEGIN
  IF NEW.parent_id IS NOT NULL AND EXISTS (
    WITH RECURSIVE up(id, parent_id) AS (
      SELECT id, parent_id FROM orgs_partyorg WHERE id = NEW.parent_id
      UNION
      SELECT p.id, p.parent_id FROM orgs_partyorg p JOIN up ON p.id = up.parent_id
    )
    SELECT 1 FROM up WHERE id = NEW.id
  ) THEN
    RAISE EXCEPTION 'party org tree cycle: an organisation cannot hang under its own descendant'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER orgs_partyorg_no_cycle BEFORE UPDATE OF parent_id ON orgs_partyorg
  FOR EACH ROW EXECUTE FUNCTION orgs_partyorg_no_cycle();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS orgs_partyorg_no_cycle ON orgs_partyorg;
DROP FUNCTION IF EXISTS orgs_partyorg_no_cycle();
"""
SQLITE_FORWARD = """
CREATE TRIGGER orgs_partyorg_no_cycle BEFORE UPDATE OF parent_id ON orgs_partyorg
WHEN NEW.parent_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'party org tree cycle')
  WHERE NEW.parent_id = NEW.id
     OR (SELECT path FROM orgs_partyorg WHERE id = NEW.parent_id) LIKE '%/' || NEW.id || '/%';
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS orgs_partyorg_no_cycle;"


def forward(apps, schema_editor):
    sql = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
