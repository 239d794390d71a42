// DirectAccess: the files of an `enhancer` installation opened in the test's own process, the way
// the binary opens them — to create and queue products without HTTP, to put on the queue bodies
// and in the database rows that the API would refuse, and to check what a run left behind.
#pragma once

#include <memory>
#include <string>

#include "db/repository.h"
#include "db/sqlite_connection.h"
#include "queue/embedded_queue.h"
#include "service/product_service.h"
#include "store/object_store.h"

namespace enhancer::testing {

struct DirectAccess {
  // Opens (and migrates) the database, the queue and the media folder. Failures are recorded as
  // test failures; members are null then.
  DirectAccess(const std::string& database_path, const std::string& queue_path,
               const std::string& media_dir);

  // One integer from a query returning one row (e.g. SELECT COUNT(*) ...); -1 on error.
  int64_t QueryInt(const std::string& sql);

  std::unique_ptr<Repository> repository;
  std::unique_ptr<EmbeddedQueue> queue;
  std::unique_ptr<ObjectStore> store;
  std::unique_ptr<ProductService> products;
  std::unique_ptr<SqliteConnection> sql;  // the database file, for invariants the API can't show
};

}  // namespace enhancer::testing
