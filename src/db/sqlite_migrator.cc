#include "db/sqlite_migrator.h"

#include <string>

namespace enhancer {
namespace {

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
))sql";

// Reads the version inside the caller's transaction, so the check and the step see one state.
Result<int> ReadVersion(SqliteConnection& db) {
  Result<SqliteStatement> select =
      db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!select) return select.error();
  Result<bool> row = select->Step();
  if (!row) return row.error();
  return static_cast<int>(select->ColumnInt64(0));
}

}  // namespace

Status ApplyMigrations(SqliteConnection& db, std::span<const Migration> migrations,
                       const Clock& clock) {
  ENHANCER_RETURN_IF_ERROR(CheckMigrationNumbering(migrations));
  ENHANCER_RETURN_IF_ERROR(db.Exec(kCreateMigrationsTable).WithContext("migrating " + db.path()));
  for (const Migration& migration : migrations) {
    Status status = db.Transaction(TransactionMode::kImmediate, [&]() -> Status {
      Result<int> version = ReadVersion(db);
      if (!version) return version.error();
      if (*version > static_cast<int>(migrations.size())) {
        return SchemaTooNewError(*version, migrations.size());
      }
      if (*version >= migration.version) return OkStatus();  // applied, maybe by another process
      ENHANCER_RETURN_IF_ERROR(db.Exec(migration.sql));
      Result<SqliteStatement> insert =
          db.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      if (!insert) return insert.error();
      insert->Bind(1, migration.version)
          .Bind(2, migration.name)
          .Bind(3, FormatIso8601(clock.Now()));
      return insert->Run();
    });
    if (!status.ok()) {
      return status.WithContext("migrating " + db.path() + " to " + std::string(migration.name));
    }
  }
  if (migrations.empty()) {
    Result<int> version = SchemaVersion(db);
    if (!version) return version.error();
    if (*version > 0) return SchemaTooNewError(*version, 0);
  }
  return OkStatus();
}

Result<int> SchemaVersion(SqliteConnection& db) {
  Result<SqliteStatement> exists = db.Prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return exists.error();
  Result<bool> row = exists->Step();
  if (!row) return row.error();
  if (exists->ColumnInt64(0) == 0) return 0;
  return ReadVersion(db);
}

}  // namespace enhancer
