#include "db/sqlite_repository.h"

#include <set>
#include <string>
#include <utility>

#include "db/migrations/sqlite_migrations.h"
#include "db/product_row.h"
#include "db/sqlite_migrator.h"

namespace enhancer {
namespace {

constexpr int kMinPageSize = 1;
constexpr int kMaxPageSize = 200;

constexpr std::string_view kProductColumns =
    "id, name, category, raw_image_url, status, error, source_hash, created_at, updated_at, "
    "planner, planner_note, planner_prompt_tokens, planner_output_tokens";
constexpr std::string_view kImageColumns =
    "id, product_id, image_url, thumbnail_url, variant, prompt, recipe, width, height, bytes, "
    "status, created_at";

// A statement's current row, as db/product_row.h reads it.
struct SqliteRow {
  const SqliteStatement& statement;
  std::string Text(int column) const { return statement.ColumnText(column); }
  int64_t Int64(int column) const { return statement.ColumnInt64(column); }
};

Result<Product> ReadProduct(const SqliteStatement& row) { return ProductFromRow(SqliteRow{row}); }
Result<ProductImage> ReadImage(const SqliteStatement& row) { return ImageFromRow(SqliteRow{row}); }

}  // namespace

Result<std::unique_ptr<Repository>> OpenSqliteRepository(const std::string& path,
                                                         const Clock& clock) {
  Result<std::unique_ptr<SqliteConnection>> db = SqliteConnection::Open(path);
  if (!db) return db.error();
  return std::unique_ptr<Repository>(new SqliteRepository(std::move(*db), clock));
}

SqliteRepository::SqliteRepository(std::unique_ptr<SqliteConnection> db, const Clock& clock)
    : clock_(clock), db_(std::move(db)) {}

Status SqliteRepository::Migrate() {
  std::lock_guard lock(mu_);
  return ApplyMigrations(*db_, SqliteMigrations(), clock_);
}

Result<Product> SqliteRepository::CreateProduct(const NewProduct& product) {
  std::lock_guard lock(mu_);
  const std::string now = FormatIso8601(clock_.Now());
  Result<SqliteStatement> insert = db_->Prepare(
      "INSERT INTO products (name, category, raw_image_url, status, created_at, updated_at) "
      "VALUES (?, ?, ?, 'draft', ?, ?) RETURNING " +
      std::string(kProductColumns));
  if (!insert) return insert.error();
  insert->Bind(1, product.name)
      .Bind(2, product.category)
      .Bind(3, product.raw_image_url)
      .Bind(4, now)
      .Bind(5, now);
  Result<bool> row = insert->Step();
  if (!row) return row.error().WithContext("creating product");
  if (!*row) return InternalError("creating product: INSERT returned no row");
  Result<Product> created = ReadProduct(*insert);
  // RETURNING rows are produced before the statement finishes; step to the end to commit.
  Status done = insert->Run();
  if (!done.ok()) return done.WithContext("creating product");
  return created;
}

Result<Product> SqliteRepository::LoadProduct(int64_t id) {
  Result<SqliteStatement> select =
      db_->Prepare("SELECT " + std::string(kProductColumns) + " FROM products WHERE id = ?");
  if (!select) return select.error();
  select->Bind(1, id);
  Result<bool> row = select->Step();
  if (!row) return row.error();
  if (!*row) return NotFoundError(ProductMissing(id));
  return ReadProduct(*select);
}

Result<Product> SqliteRepository::GetProduct(int64_t id) {
  std::lock_guard lock(mu_);
  return LoadProduct(id);
}

Result<ProductPage> SqliteRepository::ListProducts(const ProductFilter& filter) {
  if (filter.limit < kMinPageSize || filter.limit > kMaxPageSize) {
    return InvalidArgumentError("limit must be between " + std::to_string(kMinPageSize) + " and " +
                                std::to_string(kMaxPageSize) + ", got " +
                                std::to_string(filter.limit));
  }
  // Only the conditions in use appear in the SQL, so the status index can serve the query.
  std::string sql = "SELECT " + std::string(kProductColumns) + " FROM products WHERE id > ?";
  if (filter.status) sql += " AND status = ?";
  if (filter.category) sql += " AND category = ?";
  sql += " ORDER BY id LIMIT ?";

  std::lock_guard lock(mu_);
  Result<SqliteStatement> select = db_->Prepare(sql);
  if (!select) return select.error();
  int index = 1;
  select->Bind(index++, filter.after_id.value_or(0));
  if (filter.status) select->Bind(index++, ProductStatusName(*filter.status));
  if (filter.category) select->Bind(index++, *filter.category);
  // One row more than asked tells whether there is a next page.
  select->Bind(index++, filter.limit + 1);

  ProductPage page;
  while (true) {
    Result<bool> row = select->Step();
    if (!row) return row.error().WithContext("listing products");
    if (!*row) break;
    if (static_cast<int>(page.items.size()) == filter.limit) {
      page.next_after_id = page.items.back().id;
      break;
    }
    Result<Product> product = ReadProduct(*select);
    if (!product) return product.error();
    page.items.push_back(std::move(*product));
  }
  return page;
}

Status SqliteRepository::SetProductStatus(int64_t id, ProductStatus status,
                                          const std::string& error) {
  std::lock_guard lock(mu_);
  Result<SqliteStatement> update =
      db_->Prepare("UPDATE products SET status = ?, error = ?, updated_at = ? WHERE id = ?");
  if (!update) return update.error();
  update->Bind(1, ProductStatusName(status))
      .BindTextOrNull(2, error)
      .Bind(3, FormatIso8601(clock_.Now()))
      .Bind(4, id);
  ENHANCER_RETURN_IF_ERROR(update->Run());
  if (db_->Changes() == 0) return NotFoundError(ProductMissing(id));
  return OkStatus();
}

Status SqliteRepository::RecordPlan(int64_t product_id, const PlanRecord& plan) {
  std::lock_guard lock(mu_);
  Result<SqliteStatement> update = db_->Prepare(
      "UPDATE products SET planner = ?, planner_note = ?, planner_prompt_tokens = ?, "
      "planner_output_tokens = ? WHERE id = ?");
  if (!update) return update.error();
  update->BindTextOrNull(1, plan.planner)
      .BindTextOrNull(2, plan.note)
      .Bind(3, plan.prompt_tokens)
      .Bind(4, plan.output_tokens)
      .Bind(5, product_id);
  ENHANCER_RETURN_IF_ERROR(update->Run());
  if (db_->Changes() == 0) return NotFoundError(ProductMissing(product_id));
  return OkStatus();
}

Status SqliteRepository::UpsertImages(int64_t product_id, const std::vector<ProductImage>& images,
                                      const std::string& now) {
  // Reviewed images are kept as they are, also when the new set reuses their key: a person's
  // decision outlives a re-run.
  Result<SqliteStatement> upsert = db_->Prepare(
      "INSERT INTO product_images (product_id, image_url, thumbnail_url, variant, prompt, recipe, "
      "width, height, bytes, status, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending_review', ?) "
      "ON CONFLICT (product_id, image_url) DO UPDATE SET "
      "thumbnail_url = excluded.thumbnail_url, variant = excluded.variant, "
      "prompt = excluded.prompt, recipe = excluded.recipe, width = excluded.width, "
      "height = excluded.height, bytes = excluded.bytes "
      "WHERE product_images.status = 'pending_review'");
  if (!upsert) return upsert.error();
  for (const ProductImage& image : images) {
    upsert->Reset();
    upsert->Bind(1, product_id)
        .Bind(2, image.storage_key)
        .Bind(3, image.thumbnail_key)
        .Bind(4, image.variant)
        .Bind(5, image.prompt)
        .Bind(6, image.recipe_json)
        .Bind(7, image.width)
        .Bind(8, image.height)
        .Bind(9, image.bytes)
        .Bind(10, now);
    ENHANCER_RETURN_IF_ERROR(upsert->Run());
  }
  return OkStatus();
}

Status SqliteRepository::CompleteProduct(int64_t product_id, const std::string& source_hash,
                                         const std::vector<ProductImage>& images) {
  ENHANCER_RETURN_IF_ERROR(ValidateNewImages(images));
  std::lock_guard lock(mu_);
  const std::string now = FormatIso8601(clock_.Now());
  Status status = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
    Result<Product> product = LoadProduct(product_id);
    if (!product) return product.error();

    // Pending images the new set does not name are stale results of an earlier run.
    Result<SqliteStatement> pending = db_->Prepare(
        "SELECT id, image_url FROM product_images WHERE product_id = ? AND status = "
        "'pending_review'");
    if (!pending) return pending.error();
    pending->Bind(1, product_id);
    std::set<std::string> keys;
    for (const ProductImage& image : images) keys.insert(image.storage_key);
    std::vector<int64_t> stale;
    while (true) {
      Result<bool> row = pending->Step();
      if (!row) return row.error();
      if (!*row) break;
      if (!keys.contains(pending->ColumnText(1))) stale.push_back(pending->ColumnInt64(0));
    }
    Result<SqliteStatement> remove = db_->Prepare("DELETE FROM product_images WHERE id = ?");
    if (!remove) return remove.error();
    for (int64_t id : stale) {
      remove->Reset();
      remove->Bind(1, id);
      ENHANCER_RETURN_IF_ERROR(remove->Run());
    }

    ENHANCER_RETURN_IF_ERROR(UpsertImages(product_id, images, now));

    Result<SqliteStatement> update = db_->Prepare(
        "UPDATE products SET status = 'pending_review', error = NULL, source_hash = ?, "
        "updated_at = ? WHERE id = ?");
    if (!update) return update.error();
    update->BindTextOrNull(1, source_hash).Bind(2, now).Bind(3, product_id);
    return update->Run();
  });
  if (!status.ok() && status.code() != StatusCode::kNotFound) {
    return status.WithContext("completing product " + std::to_string(product_id));
  }
  return status;
}

Result<std::vector<ProductImage>> SqliteRepository::ListImages(int64_t product_id) {
  std::lock_guard lock(mu_);
  return LoadImages(product_id);
}

Result<std::vector<ProductImage>> SqliteRepository::DeleteProduct(int64_t id) {
  std::lock_guard lock(mu_);
  std::vector<ProductImage> images;
  Status status = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
    Result<std::vector<ProductImage>> loaded = LoadImages(id);
    if (!loaded) return loaded.error();
    images = *std::move(loaded);
    // product_images rows go with it (ON DELETE CASCADE).
    Result<SqliteStatement> remove = db_->Prepare("DELETE FROM products WHERE id = ?");
    if (!remove) return remove.error();
    remove->Bind(1, id);
    ENHANCER_RETURN_IF_ERROR(remove->Run());
    if (db_->Changes() == 0) return NotFoundError(ProductMissing(id));
    return OkStatus();
  });
  if (!status.ok()) return status;
  return images;
}

Result<std::vector<ProductImage>> SqliteRepository::LoadImages(int64_t product_id) {
  Result<SqliteStatement> select =
      db_->Prepare("SELECT " + std::string(kImageColumns) +
                   " FROM product_images WHERE product_id = ? ORDER BY created_at, id");
  if (!select) return select.error();
  select->Bind(1, product_id);
  std::vector<ProductImage> images;
  while (true) {
    Result<bool> row = select->Step();
    if (!row) return row.error().WithContext("listing images");
    if (!*row) break;
    Result<ProductImage> image = ReadImage(*select);
    if (!image) return image.error();
    images.push_back(std::move(*image));
  }
  return images;
}

Result<ProductImage> SqliteRepository::LoadImage(int64_t image_id) {
  Result<SqliteStatement> select =
      db_->Prepare("SELECT " + std::string(kImageColumns) + " FROM product_images WHERE id = ?");
  if (!select) return select.error();
  select->Bind(1, image_id);
  Result<bool> row = select->Step();
  if (!row) return row.error();
  if (!*row) return NotFoundError(ImageMissing(image_id));
  return ReadImage(*select);
}

Result<ProductImage> SqliteRepository::GetImage(int64_t image_id) {
  std::lock_guard lock(mu_);
  return LoadImage(image_id);
}

Status SqliteRepository::RollUpReview(int64_t product_id) {
  Result<SqliteStatement> tally = db_->Prepare(
      "SELECT "
      "COALESCE(SUM(CASE WHEN status = 'pending_review' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0) "
      "FROM product_images WHERE product_id = ?");
  if (!tally) return tally.error();
  tally->Bind(1, product_id);
  Result<bool> row = tally->Step();
  if (!row) return row.error();
  const int64_t pending = tally->ColumnInt64(0);
  const int64_t approved = tally->ColumnInt64(1);

  std::string_view next;
  std::string_view only_from = "";  // empty: from any status
  if (pending == 0) {
    next = ProductStatusName(approved > 0 ? ProductStatus::kApproved : ProductStatus::kRejected);
  } else {
    // An image sent back to review reopens a product that was already decided, and nothing else.
    next = ProductStatusName(ProductStatus::kPendingReview);
    only_from = "('approved', 'rejected')";
  }
  std::string sql = "UPDATE products SET status = ?, updated_at = ? WHERE id = ? AND status <> ?";
  if (!only_from.empty()) sql += " AND status IN " + std::string(only_from);
  Result<SqliteStatement> update = db_->Prepare(sql);
  if (!update) return update.error();
  update->Bind(1, next).Bind(2, FormatIso8601(clock_.Now())).Bind(3, product_id).Bind(4, next);
  return update->Run();
}

Result<ProductImage> SqliteRepository::SetImageStatus(int64_t image_id, ImageStatus status) {
  std::lock_guard lock(mu_);
  Result<ProductImage> result = NotFoundError(ImageMissing(image_id));
  Status outcome = db_->Transaction(TransactionMode::kImmediate, [&]() -> Status {
    Result<SqliteStatement> update =
        db_->Prepare("UPDATE product_images SET status = ? WHERE id = ?");
    if (!update) return update.error();
    update->Bind(1, ImageStatusName(status)).Bind(2, image_id);
    ENHANCER_RETURN_IF_ERROR(update->Run());
    if (db_->Changes() == 0) return NotFoundError(ImageMissing(image_id));
    result = LoadImage(image_id);
    if (!result) return result.error();
    return RollUpReview(result->product_id);
  });
  if (!outcome.ok()) return outcome;
  return result;
}

Result<StatusCounts> SqliteRepository::CountByStatus() {
  std::lock_guard lock(mu_);
  Result<SqliteStatement> select =
      db_->Prepare("SELECT status, COUNT(*) FROM products GROUP BY status");
  if (!select) return select.error();
  StatusCounts counts;
  for (ProductStatus s : {ProductStatus::kDraft, ProductStatus::kQueued, ProductStatus::kProcessing,
                          ProductStatus::kPendingReview, ProductStatus::kApproved,
                          ProductStatus::kRejected, ProductStatus::kFailed}) {
    counts.counts.emplace_back(s, 0);
  }
  while (true) {
    Result<bool> row = select->Step();
    if (!row) return row.error().WithContext("counting products");
    if (!*row) break;
    std::optional<ProductStatus> status = ParseProductStatus(select->ColumnText(0));
    if (!status) return InternalError("unknown product status '" + select->ColumnText(0) + "'");
    for (auto& [s, n] : counts.counts) {
      if (s == *status) n = select->ColumnInt64(1);
    }
  }
  return counts;
}

}  // namespace enhancer
