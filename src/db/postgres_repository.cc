#include "db/postgres_repository.h"

#include <set>
#include <string>
#include <utility>

#include "db/migrations/postgres_migrations.h"
#include "db/postgres_migrator.h"
#include "db/postgres_url.h"
#include "db/product_row.h"

namespace enhancer {
namespace {

constexpr int kMinPageSize = 1;
constexpr int kMaxPageSize = 200;

// Times are read as the SQLite repository stores them, ISO 8601 UTC with milliseconds
// ("2026-11-29T02:07:47.123Z"), whatever the session's time zone.
constexpr std::string_view kProductColumns =
    "id, name, category, raw_image_url, status, error, source_hash, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
    "planner, planner_note, planner_prompt_tokens, planner_output_tokens";
constexpr std::string_view kImageColumns =
    "id, product_id, image_url, thumbnail_url, variant, prompt, recipe, width, height, bytes, "
    "status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";


// Takes the product's row lock: CompleteProduct and SetImageStatus on one product run one after
// the other, and always lock the product before its images, so they cannot deadlock.
Status LockProduct(PostgresConnection& db, int64_t product_id) {
  Result<PostgresRows> rows =
      db.Query("SELECT id FROM products WHERE id = $1 FOR UPDATE", {PgParam(product_id)});
  if (!rows) return rows.error();
  if (rows->empty()) return NotFoundError(ProductMissing(product_id));
  return OkStatus();
}

Status DeleteStaleImages(PostgresConnection& db, int64_t product_id,
                         const std::vector<ProductImage>& images) {
  // Pending images the new set does not name are stale results of an earlier run.
  Result<PostgresRows> pending = db.Query(
      "SELECT id, image_url FROM product_images WHERE product_id = $1 AND status = "
      "'pending_review'",
      {PgParam(product_id)});
  if (!pending) return pending.error();
  std::set<std::string> keys;
  for (const ProductImage& image : images) keys.insert(image.storage_key);
  for (const PostgresRow& row : *pending) {
    if (keys.contains(row.Text(1))) continue;
    ENHANCER_RETURN_IF_ERROR(
        db.Query("DELETE FROM product_images WHERE id = $1", {PgParam(row.Int64(0))}).error());
  }
  return OkStatus();
}

Status UpsertImages(PostgresConnection& db, int64_t product_id,
                    const std::vector<ProductImage>& images, const std::string& now) {
  // Reviewed images are kept as they are, also when the new set reuses their key: a person's
  // decision outlives a re-run.
  constexpr std::string_view kUpsert =
      "INSERT INTO product_images (product_id, image_url, thumbnail_url, variant, prompt, recipe, "
      "width, height, bytes, status, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending_review', $10) "
      "ON CONFLICT (product_id, image_url) DO UPDATE SET "
      "thumbnail_url = excluded.thumbnail_url, variant = excluded.variant, "
      "prompt = excluded.prompt, recipe = excluded.recipe, width = excluded.width, "
      "height = excluded.height, bytes = excluded.bytes "
      "WHERE product_images.status = 'pending_review'";
  for (const ProductImage& image : images) {
    ENHANCER_RETURN_IF_ERROR(
        db.Query(kUpsert,
                 {PgParam(product_id), PgParam(image.storage_key), PgParam(image.thumbnail_key),
                  PgParam(image.variant), PgParam(image.prompt), PgParam(image.recipe_json),
                  PgParam(int64_t{image.width}), PgParam(int64_t{image.height}),
                  PgParam(image.bytes), PgParam(now)})
            .error());
  }
  return OkStatus();
}

// Moves the product along once its images are reviewed (see Repository::SetImageStatus).
Status RollUpReview(PostgresConnection& db, int64_t product_id, const std::string& now) {
  Result<PostgresRows> tally = db.Query(
      "SELECT "
      "COUNT(*) FILTER (WHERE status = 'pending_review'), "
      "COUNT(*) FILTER (WHERE status = 'approved') "
      "FROM product_images WHERE product_id = $1",
      {PgParam(product_id)});
  if (!tally) return tally.error();
  const int64_t pending = tally->at(0).Int64(0);
  const int64_t approved = tally->at(0).Int64(1);

  std::string_view next;
  std::string sql =
      "UPDATE products SET status = $1, updated_at = $2 WHERE id = $3 AND status <> $1";
  if (pending == 0) {
    next = ProductStatusName(approved > 0 ? ProductStatus::kApproved : ProductStatus::kRejected);
  } else {
    // An image sent back to review reopens a product that was already decided, and nothing else.
    next = ProductStatusName(ProductStatus::kPendingReview);
    sql += " AND status IN ('approved', 'rejected')";
  }
  return db.Query(sql, {PgParam(next), PgParam(now), PgParam(product_id)}).error();
}

}  // namespace

Result<std::unique_ptr<Repository>> OpenPostgresRepository(
    const std::string& url, const Clock& clock, const PostgresRepositoryOptions& options) {
  Result<PostgresTarget> target = ParsePostgresUrl(url);
  if (!target) return target.error();
  auto pool = std::make_unique<PostgresConnectionPool>(std::move(*target), options.max_connections);
  ENHANCER_RETURN_IF_ERROR(pool->Warm());
  return std::unique_ptr<Repository>(new PostgresRepository(std::move(pool), clock));
}

PostgresRepository::PostgresRepository(std::unique_ptr<PostgresConnectionPool> pool,
                                       const Clock& clock)
    : clock_(clock), pool_(std::move(pool)) {}

Status PostgresRepository::InTransaction(const std::function<Status(PostgresConnection&)>& work) {
  return pool_->Run(
      [&](PostgresConnection& db) { return db.Transaction([&] { return work(db); }); });
}

Status PostgresRepository::Migrate() {
  // Each step is its own transaction; a rerun after a lost session skips the applied ones.
  return pool_->Run([&](PostgresConnection& db) {
    return ApplyPostgresMigrations(db, PostgresMigrations(), clock_);
  });
}

Result<Product> PostgresRepository::CreateProduct(const NewProduct& product) {
  if (product.name.empty()) return InvalidArgumentError("a product needs a name").WithField("name");
  if (product.raw_image_url.empty()) {
    return InvalidArgumentError("a product needs a raw_image_url").WithField("raw_image_url");
  }
  const std::string now = FormatIso8601(clock_.Now());
  Result<Product> created = InternalError("creating product: INSERT returned no row");
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows = db.Query(
        "INSERT INTO products (name, category, raw_image_url, status, created_at, updated_at) "
        "VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING " +
            std::string(kProductColumns),
        {PgParam(product.name), PgParam(product.category), PgParam(product.raw_image_url),
         PgParam(now)});
    if (!rows) return rows.error();
    if (rows->empty()) return InternalError("INSERT returned no row");
    created = ProductFromRow(rows->front());
    return created.error();
  });
  if (!status.ok()) return status.WithContext("creating product");
  return created;
}

Result<Product> PostgresRepository::GetProduct(int64_t id) {
  Result<Product> product = NotFoundError(ProductMissing(id));
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows = db.Query(
        "SELECT " + std::string(kProductColumns) + " FROM products WHERE id = $1", {PgParam(id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFoundError(ProductMissing(id));
    product = ProductFromRow(rows->front());
    return product.error();
  });
  if (!status.ok()) return status;
  return product;
}

Result<ProductPage> PostgresRepository::ListProducts(const ProductFilter& filter) {
  if (filter.limit < kMinPageSize || filter.limit > kMaxPageSize) {
    return InvalidArgumentError("limit must be between " + std::to_string(kMinPageSize) + " and " +
                                std::to_string(kMaxPageSize) + ", got " +
                                std::to_string(filter.limit));
  }
  // Only the conditions in use appear in the SQL, so the status index can serve the query.
  std::vector<PostgresParam> params = {PgParam(filter.after_id.value_or(0))};
  std::string sql = "SELECT " + std::string(kProductColumns) + " FROM products WHERE id > $1";
  if (filter.status) {
    params.push_back(PgParam(ProductStatusName(*filter.status)));
    sql += " AND status = $" + std::to_string(params.size());
  }
  if (filter.category) {
    params.push_back(PgParam(*filter.category));
    sql += " AND category = $" + std::to_string(params.size());
  }
  // One row more than asked tells whether there is a next page.
  params.push_back(PgParam(int64_t{filter.limit} + 1));
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());

  ProductPage page;
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    page = {};
    Result<PostgresRows> rows = db.Query(sql, params);
    if (!rows) return rows.error();
    for (const PostgresRow& row : *rows) {
      if (static_cast<int>(page.items.size()) == filter.limit) {
        page.next_after_id = page.items.back().id;
        break;
      }
      Result<Product> product = ProductFromRow(row);
      if (!product) return product.error();
      page.items.push_back(std::move(*product));
    }
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("listing products");
  return page;
}

Status PostgresRepository::SetProductStatus(int64_t id, ProductStatus status,
                                            const std::string& error) {
  const std::string now = FormatIso8601(clock_.Now());
  Status outcome = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows = db.Query(
        "UPDATE products SET status = $1, error = $2, updated_at = $3 WHERE id = $4 RETURNING id",
        {PgParam(ProductStatusName(status)), PgTextOrNull(error), PgParam(now), PgParam(id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFoundError(ProductMissing(id));
    return OkStatus();
  });
  if (!outcome.ok() && outcome.code() != StatusCode::kNotFound) {
    return outcome.WithContext("setting the status of product " + std::to_string(id));
  }
  return outcome;
}

Status PostgresRepository::CompleteProduct(int64_t product_id, const std::string& source_hash,
                                           const std::vector<ProductImage>& images) {
  ENHANCER_RETURN_IF_ERROR(ValidateNewImages(images));
  const std::string now = FormatIso8601(clock_.Now());
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    ENHANCER_RETURN_IF_ERROR(LockProduct(db, product_id));
    ENHANCER_RETURN_IF_ERROR(DeleteStaleImages(db, product_id, images));
    ENHANCER_RETURN_IF_ERROR(UpsertImages(db, product_id, images, now));
    return db
        .Query(
            "UPDATE products SET status = 'pending_review', error = NULL, source_hash = $1, "
            "updated_at = $2 WHERE id = $3",
            {PgTextOrNull(source_hash), PgParam(now), PgParam(product_id)})
        .error();
  });
  if (!status.ok() && status.code() != StatusCode::kNotFound) {
    return status.WithContext("completing product " + std::to_string(product_id));
  }
  return status;
}

Result<std::vector<ProductImage>> PostgresRepository::ListImages(int64_t product_id) {
  std::vector<ProductImage> images;
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    images.clear();
    Result<PostgresRows> rows =
        db.Query("SELECT " + std::string(kImageColumns) +
                     " FROM product_images WHERE product_id = $1 ORDER BY created_at, id",
                 {PgParam(product_id)});
    if (!rows) return rows.error();
    for (const PostgresRow& row : *rows) {
      Result<ProductImage> image = ImageFromRow(row);
      if (!image) return image.error();
      images.push_back(std::move(*image));
    }
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("listing images");
  return images;
}

Status PostgresRepository::RecordPlan(int64_t product_id, const PlanRecord& plan) {
  Status outcome = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows = db.Query(
        "UPDATE products SET planner = $1, planner_note = $2, planner_prompt_tokens = $3, "
        "planner_output_tokens = $4 WHERE id = $5 RETURNING id",
        {PgTextOrNull(plan.planner), PgTextOrNull(plan.note), PgParam(plan.prompt_tokens),
         PgParam(plan.output_tokens), PgParam(product_id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFoundError(ProductMissing(product_id));
    return OkStatus();
  });
  return outcome;
}

Result<std::vector<ProductImage>> PostgresRepository::DeleteProduct(int64_t id) {
  std::vector<ProductImage> images;
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    images.clear();
    ENHANCER_RETURN_IF_ERROR(LockProduct(db, id));
    Result<PostgresRows> rows =
        db.Query("SELECT " + std::string(kImageColumns) +
                     " FROM product_images WHERE product_id = $1 ORDER BY created_at, id",
                 {PgParam(id)});
    if (!rows) return rows.error();
    for (const PostgresRow& row : *rows) {
      Result<ProductImage> image = ImageFromRow(row);
      if (!image) return image.error();
      images.push_back(std::move(*image));
    }
    // product_images rows go with it (ON DELETE CASCADE).
    return db.Query("DELETE FROM products WHERE id = $1", {PgParam(id)}).error();
  });
  if (!status.ok()) return status;
  return images;
}

Result<ProductImage> PostgresRepository::GetImage(int64_t image_id) {
  Result<ProductImage> image = NotFoundError(ImageMissing(image_id));
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows =
        db.Query("SELECT " + std::string(kImageColumns) + " FROM product_images WHERE id = $1",
                 {PgParam(image_id)});
    if (!rows) return rows.error();
    if (rows->empty()) return NotFoundError(ImageMissing(image_id));
    image = ImageFromRow(rows->front());
    return image.error();
  });
  if (!status.ok()) return status;
  return image;
}

Result<ProductImage> PostgresRepository::SetImageStatus(int64_t image_id, ImageStatus status) {
  const std::string now = FormatIso8601(clock_.Now());
  Result<ProductImage> result = NotFoundError(ImageMissing(image_id));
  Status outcome = InTransaction([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> owner =
        db.Query("SELECT product_id FROM product_images WHERE id = $1", {PgParam(image_id)});
    if (!owner) return owner.error();
    if (owner->empty()) return NotFoundError(ImageMissing(image_id));
    const int64_t product_id = owner->front().Int64(0);
    ENHANCER_RETURN_IF_ERROR(LockProduct(db, product_id));

    Result<PostgresRows> updated =
        db.Query("UPDATE product_images SET status = $1 WHERE id = $2 RETURNING " +
                     std::string(kImageColumns),
                 {PgParam(ImageStatusName(status)), PgParam(image_id)});
    if (!updated) return updated.error();
    if (updated->empty()) return NotFoundError(ImageMissing(image_id));  // deleted meanwhile
    result = ImageFromRow(updated->front());
    if (!result) return result.error();
    return RollUpReview(db, product_id, now);
  });
  if (!outcome.ok()) {
    if (outcome.code() == StatusCode::kNotFound) return outcome;
    return outcome.WithContext("reviewing image " + std::to_string(image_id));
  }
  return result;
}

Result<StatusCounts> PostgresRepository::CountByStatus() {
  StatusCounts counts;
  Status status = InTransaction([&](PostgresConnection& db) -> Status {
    counts.counts.clear();
    for (ProductStatus s :
         {ProductStatus::kDraft, ProductStatus::kQueued, ProductStatus::kProcessing,
          ProductStatus::kPendingReview, ProductStatus::kApproved, ProductStatus::kRejected,
          ProductStatus::kFailed}) {
      counts.counts.emplace_back(s, 0);
    }
    Result<PostgresRows> rows = db.Query("SELECT status, COUNT(*) FROM products GROUP BY status");
    if (!rows) return rows.error();
    for (const PostgresRow& row : *rows) {
      std::optional<ProductStatus> parsed = ParseProductStatus(row.Text(0));
      if (!parsed) return InternalError("unknown product status '" + row.Text(0) + "'");
      for (auto& [s, n] : counts.counts) {
        if (s == *parsed) n = row.Int64(1);
      }
    }
    return OkStatus();
  });
  if (!status.ok()) return status.WithContext("counting products");
  return counts;
}

}  // namespace enhancer
