// Migration: one numbered step of a database schema, as SQL text compiled into the program.
//
// Each SQL dialect keeps its own list (src/db/migrations/<dialect>/NNNN_name.sql, embedded at
// build time); versions start at 1 and rise by one, so a database's schema version says exactly
// which steps it has had.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "core/status.h"

namespace enhancer {

struct Migration {
  int version = 0;        // 1, 2, 3, ...
  std::string_view name;  // the file name without ".sql", e.g. "0001_create_products"
  std::string_view sql;   // one or more statements
};

// Internal when the list is not numbered 1, 2, 3, ... in order (a build mistake).
Status CheckMigrationNumbering(std::span<const Migration> migrations);

// FailedPrecondition: the database was migrated by a newer program than this one, whose newest
// migration is `newest`.
Status SchemaTooNewError(int version, size_t newest);

}  // namespace enhancer
