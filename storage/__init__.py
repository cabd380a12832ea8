"""SQLite storage: schema, migrations and repositories (the only place with SQL)."""
