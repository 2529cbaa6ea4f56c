"""SQLite progress store: schema, ordered migrations, queries."""
