#include "db/postgres_migrator.h"

#include <string>

namespace enhancer {
namespace {

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL
))sql";

Result<bool> HasMigrationsTable(PostgresConnection& db) {
  Result<PostgresRows> rows = db.Query("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!rows) return rows.error();
  return rows->at(0).Text(0) == "t";
}

// Reads the version inside the caller's transaction, so the check and the step see one state.
Result<int> ReadVersion(PostgresConnection& db) {
  Result<bool> exists = HasMigrationsTable(db);
  if (!exists) return exists.error();
  if (!*exists) return 0;
  Result<PostgresRows> rows = db.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!rows) return rows.error();
  return static_cast<int>(rows->at(0).Int64(0));
}

// Under the lock, so that concurrent first migrations do not both create the table (CREATE
// TABLE IF NOT EXISTS races on the catalog and fails one of them).
Status EnsureMigrationsTable(PostgresConnection& db) {
  Result<bool> exists = HasMigrationsTable(db);
  if (!exists) return exists.error();
  if (*exists) return OkStatus();
  return db.Exec(kCreateMigrationsTable);
}

Status Lock(PostgresConnection& db) {
  Result<PostgresRows> locked =
      db.Query("SELECT pg_advisory_xact_lock($1)", {PgParam(kPostgresMigrationLockKey)});
  return locked.error();
}

}  // namespace

Status ApplyPostgresMigrations(PostgresConnection& db, std::span<const Migration> migrations,
                               const Clock& clock) {
  ENHANCER_RETURN_IF_ERROR(CheckMigrationNumbering(migrations));
  const std::string where = db.target().Describe();
  for (const Migration& migration : migrations) {
    Status status = db.Transaction([&]() -> Status {
      ENHANCER_RETURN_IF_ERROR(Lock(db));
      ENHANCER_RETURN_IF_ERROR(EnsureMigrationsTable(db));
      Result<int> version = ReadVersion(db);
      if (!version) return version.error();
      if (*version > static_cast<int>(migrations.size())) {
        return SchemaTooNewError(*version, migrations.size());
      }
      if (*version >= migration.version) return OkStatus();  // applied, maybe by another process
      ENHANCER_RETURN_IF_ERROR(db.Exec(migration.sql));
      return db
          .Query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                 {PgParam(int64_t{migration.version}), PgParam(migration.name),
                  PgParam(FormatIso8601(clock.Now()))})
          .error();
    });
    if (!status.ok()) {
      return status.WithContext("migrating " + where + " to " + std::string(migration.name));
    }
  }
  if (migrations.empty()) {
    Result<int> version = PostgresSchemaVersion(db);
    if (!version) return version.error();
    if (*version > 0) return SchemaTooNewError(*version, 0);
  }
  return OkStatus();
}

Result<int> PostgresSchemaVersion(PostgresConnection& db) {
  Result<int> version = 0;
  Status status = db.Transaction([&]() -> Status {
    version = ReadVersion(db);
    return version.error();
  });
  if (!status.ok()) return status;
  return version;
}

}  // namespace enhancer
