// PostgresRepository: the Repository in a PostgreSQL database (DATABASE_URL=postgres://...),
// for running several workers and API servers on one database, or a managed one (RDS).
//
// Same tables, columns and rules as the SQLite repository (src/db/migrations/postgres/), with
// BIGSERIAL ids and TIMESTAMPTZ times; times come back as the same ISO 8601 UTC millisecond
// strings. Every call is one transaction on a session from a small pool, so calls from many
// threads run side by side; a session the server dropped (restart, failover, terminated backend)
// is replaced on the next call, which succeeds as soon as the server is back.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/postgres_connection_pool.h"
#include "db/repository.h"

namespace enhancer {

struct PostgresRepositoryOptions {
  // Sessions open at most at once; callers beyond this wait for one to be free. Keep it at or
  // above the number of threads that call the repository (workers plus HTTP threads).
  int max_connections = 8;
};

// Connects to the database `url` names (postgres://USER:PASSWORD@HOST:PORT/DATABASE, see
// postgres_url.h) and keeps that first session for later calls. Does not migrate: call Migrate()
// (or run `enhancer migrate`) before use. `clock` stamps created_at/updated_at; it must outlive
// the repository.
// Errors: InvalidArgument for a malformed URL; Unavailable when the server cannot be reached or
// refuses the login, with a message naming host:port and the database but never the password.
Result<std::unique_ptr<Repository>> OpenPostgresRepository(
    const std::string& url, const Clock& clock = Clock::Real(),
    const PostgresRepositoryOptions& options = {});

class PostgresRepository final : public Repository {
 public:
  PostgresRepository(std::unique_ptr<PostgresConnectionPool> pool, const Clock& clock);

  Status Migrate() override;
  Result<Product> CreateProduct(const NewProduct& product) override;
  Result<Product> GetProduct(int64_t id) override;
  Result<ProductPage> ListProducts(const ProductFilter& filter) override;
  Status SetProductStatus(int64_t id, ProductStatus status, const std::string& error) override;
  Status CompleteProduct(int64_t product_id, const std::string& source_hash,
                         const std::vector<ProductImage>& images) override;
  Result<std::vector<ProductImage>> ListImages(int64_t product_id) override;
  Result<ProductImage> GetImage(int64_t image_id) override;
  Result<ProductImage> SetImageStatus(int64_t image_id, ImageStatus status) override;
  Result<StatusCounts> CountByStatus() override;
  Result<std::vector<ProductImage>> DeleteProduct(int64_t id) override;
  Status RecordPlan(int64_t product_id, const PlanRecord& plan) override;

  // Sessions opened so far, replacements of dropped ones included.
  int64_t connections_opened() const { return pool_->connections_opened(); }

 private:
  // Runs `work` as one transaction on a pooled session (see PostgresConnectionPool::Run).
  Status InTransaction(const std::function<Status(PostgresConnection&)>& work);

  const Clock& clock_;
  std::unique_ptr<PostgresConnectionPool> pool_;
};

}  // namespace enhancer
