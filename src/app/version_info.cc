#include "app/version_info.h"

#include "db/sqlite_connection.h"
#include "net/curl_version.h"
#include "render/vips_version.h"

namespace enhancer {
namespace {

// sqlite_version() is SQLite's SQL wrapper of sqlite3_libversion(); asking through the db
// module keeps sqlite3.h out of src/app. An in-memory database touches no file.
std::string SqliteVersion() {
  Result<std::unique_ptr<SqliteConnection>> db = SqliteConnection::Open(":memory:");
  if (!db) return "unknown";
  Result<SqliteStatement> query = (*db)->Prepare("SELECT sqlite_version()");
  if (!query) return "unknown";
  Result<bool> row = query->Step();
  if (!row || !*row) return "unknown";
  return query->ColumnText(0);
}

}  // namespace

std::string VersionText(std::string_view enhancer_version) {
  std::string text = "enhancer " + std::string(enhancer_version) + "\n";
  text += "libvips " + VipsVersion() + "\n";
  text += "libcurl " + CurlVersion() + "\n";
  text += "SQLite " + SqliteVersion();
  return text;
}

}  // namespace enhancer
