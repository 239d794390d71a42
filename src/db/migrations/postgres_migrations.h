// The PostgreSQL schema of the repository, one Migration per file in migrations/postgres/,
// embedded at build time (see src/db/CMakeLists.txt).
#pragma once

#include <span>

#include "db/migration.h"

namespace enhancer {

// Ordered by version, 1..N. The text lives as long as the program.
std::span<const Migration> PostgresMigrations();

}  // namespace enhancer
