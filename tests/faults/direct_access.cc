#include "direct_access.h"

#include <gtest/gtest.h>

#include "db/sqlite_repository.h"
#include "store/local_object_store.h"

namespace enhancer::testing {

DirectAccess::DirectAccess(const std::string& database_path, const std::string& queue_path,
                           const std::string& media_dir) {
  Result<std::unique_ptr<Repository>> repo = OpenSqliteRepository(database_path);
  EXPECT_TRUE(repo.has_value()) << repo.error().ToString();
  if (!repo) return;
  Status migrated = (*repo)->Migrate();
  EXPECT_TRUE(migrated.ok()) << migrated.ToString();
  repository = *std::move(repo);

  EmbeddedQueueOptions options;
  options.path = queue_path;
  Result<std::unique_ptr<EmbeddedQueue>> opened = EmbeddedQueue::Open(options);
  EXPECT_TRUE(opened.has_value()) << opened.error().ToString();
  if (!opened) return;
  queue = *std::move(opened);

  Result<std::unique_ptr<ObjectStore>> media = OpenLocalObjectStore(media_dir, "/media");
  EXPECT_TRUE(media.has_value()) << media.error().ToString();
  if (!media) return;
  store = *std::move(media);
  products = std::make_unique<ProductService>(*repository, *queue, *store);

  Result<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(database_path);
  EXPECT_TRUE(connection.has_value()) << connection.error().ToString();
  if (connection) sql = *std::move(connection);
}

int64_t DirectAccess::QueryInt(const std::string& text) {
  if (!sql) return -1;
  Result<SqliteStatement> select = sql->Prepare(text);
  EXPECT_TRUE(select.has_value()) << text << ": " << select.error().ToString();
  if (!select) return -1;
  Result<bool> row = select->Step();
  EXPECT_TRUE(row.has_value() && *row) << text << ": " << row.error().ToString();
  if (!row || !*row) return -1;
  return select->ColumnInt64(0);
}

}  // namespace enhancer::testing
