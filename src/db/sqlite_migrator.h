// SQLite migrator: brings a database up to the newest of a list of Migrations, recording each
// applied version in a `schema_migrations` table.
//
// Used by the repository and by the embedded queue (each for its own file and list).
#pragma once

#include <span>

#include "core/clock.h"
#include "core/status.h"
#include "db/migration.h"
#include "db/sqlite_connection.h"

namespace enhancer {

// Applies, in order, every migration newer than the database's version, each in its own
// IMMEDIATE transaction together with its `schema_migrations` row, so a crash leaves the schema
// at a whole version and two processes migrating at once apply each step exactly once.
// Idempotent. `applied_at` is taken from `clock`.
// Errors: Internal when `migrations` is not numbered 1, 2, 3, ... or a step's SQL fails;
// FailedPrecondition when the database is newer than the newest migration (an older program
// opened a newer file); Unavailable when locked past the busy timeout.
Status ApplyMigrations(SqliteConnection& db, std::span<const Migration> migrations,
                       const Clock& clock);

// The newest applied version; 0 for a database never migrated.
Result<int> SchemaVersion(SqliteConnection& db);

}  // namespace enhancer
