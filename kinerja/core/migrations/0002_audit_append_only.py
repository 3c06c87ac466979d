"""Make the audit table append-only in the database itself, and create the chain's head row.

PostgreSQL refuses UPDATE and DELETE of audit records (TRUNCATE, which only an owner can run,
stays possible for test set-up). SQLite refuses UPDATE; a DELETE there is caught by
``kinerja audit verify`` instead, because SQLite cannot tell a test's table flush from tampering.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION kinerja_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION kinerja_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord;
DROP FUNCTION IF EXISTS kinerja_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER core_auditrecord_append_only
BEFORE UPDATE ON core_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditrecord_append_only;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    apps.get_model("core", "AuditChainHead").objects.get_or_create(pk=1)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
