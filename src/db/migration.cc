#include "db/migration.h"

#include <string>

namespace enhancer {

Status CheckMigrationNumbering(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return InternalError("migration " + std::string(migrations[i].name) + " has version " +
                           std::to_string(migrations[i].version) + ", expected " +
                           std::to_string(i + 1));
    }
  }
  return OkStatus();
}

Status SchemaTooNewError(int version, size_t newest) {
  return FailedPreconditionError("database schema version " + std::to_string(version) +
                                 " is newer than this program's newest migration (" +
                                 std::to_string(newest) + ")");
}

}  // namespace enhancer
