// SqliteRepository: the Repository in one SQLite file, the embedded default.
//
// One connection guarded by a mutex serves all threads; other processes (`enhancer migrate`,
// `enhancer enqueue`) may open the same file at the same time, and WAL plus the busy timeout
// let them take turns. Schema: src/db/migrations/sqlite/.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/repository.h"
#include "db/sqlite_connection.h"

namespace enhancer {

// Opens (creating the file and its folder if needed) the database at `path`. Does not migrate:
// call Migrate() (or run `enhancer migrate`) before use. `clock` stamps created_at/updated_at;
// it must outlive the repository. Errors: Unavailable, Internal.
Result<std::unique_ptr<Repository>> OpenSqliteRepository(const std::string& path,
                                                         const Clock& clock = Clock::Real());

class SqliteRepository final : public Repository {
 public:
  SqliteRepository(std::unique_ptr<SqliteConnection> db, const Clock& clock);

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

 private:
  // All of these expect mu_ to be held.
  Result<Product> LoadProduct(int64_t id);
  Result<std::vector<ProductImage>> LoadImages(int64_t product_id);  // mu_ held
  Result<ProductImage> LoadImage(int64_t image_id);
  Status UpsertImages(int64_t product_id, const std::vector<ProductImage>& images,
                      const std::string& now);
  Status RollUpReview(int64_t product_id);

  const Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<SqliteConnection> db_;  // guarded by mu_
};

}  // namespace enhancer
