"""The chain head only moves forward: lowering it would hide removed records from `verify`."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION kinerja_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
        RAISE EXCEPTION 'the audit chain head never goes back';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditchainhead_forward
    BEFORE UPDATE OR DELETE ON core_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION kinerja_audit_head_forward();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditchainhead_forward ON core_auditchainhead;
DROP FUNCTION IF EXISTS kinerja_audit_head_forward();
"""
SQLITE_UP = """
CREATE TRIGGER core_auditchainhead_forward
BEFORE UPDATE ON core_auditchainhead
WHEN NEW.seq < OLD.seq
BEGIN
    SELECT RAISE(ABORT, 'the audit chain head never goes back');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditchainhead_forward;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
