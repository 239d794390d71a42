// PostgreSQL migrator: brings a database up to the newest of a list of Migrations, recording each
// applied version in a `schema_migrations` table, like the SQLite migrator.
#pragma once

#include <cstdint>
#include <span>

#include "core/clock.h"
#include "core/status.h"
#include "db/migration.h"
#include "db/postgres_connection.h"

namespace enhancer {

// The transaction-level advisory lock every migration step holds: two processes (or threads)
// migrating the same database at once take turns, and each step is applied exactly once.
// The bytes spell "enhancer".
inline constexpr int64_t kPostgresMigrationLockKey = 0x656e68616e636572;

// Applies, in order, every migration newer than the database's version, each in its own
// transaction together with its `schema_migrations` row and under kPostgresMigrationLockKey, so
// a crash leaves the schema at a whole version. Idempotent. `applied_at` is taken from `clock`.
// Errors: Internal when `migrations` is not numbered 1, 2, 3, ... or a step's SQL fails;
// FailedPrecondition when the database is newer than the newest migration (an older program
// connected to a newer database); Unavailable when the server cannot be reached.
Status ApplyPostgresMigrations(PostgresConnection& db, std::span<const Migration> migrations,
                               const Clock& clock);

// The newest applied version; 0 for a database never migrated.
Result<int> PostgresSchemaVersion(PostgresConnection& db);

}  // namespace enhancer
