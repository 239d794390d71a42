#include "db/sqlite_repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "db/repository_contract_test.h"
#include "db/scoped_temp_dir.h"
#include "db/migrations/sqlite_migrations.h"
#include "db/sqlite_connection.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

class SqliteRepositoryHarness final : public RepositoryHarness {
 public:
  Result<std::unique_ptr<Repository>> Open() override {
    return OpenSqliteRepository(path(), clock_);
  }
  FakeClock& clock() override { return clock_; }
  std::string path() const { return dir_.File("data/products.db"); }

 private:
  ScopedTempDir dir_;
  FakeClock clock_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, RepositoryContractTest,
                         ::testing::Values(RepositoryContractParam{
                             "Sqlite", [] { return std::make_unique<SqliteRepositoryHarness>(); }}),
                         RepositoryContractParamName);

// What the contract cannot say: the file itself, the SQL others run against it, and
// several connections on one file.
class SqliteRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(repo_, harness_.Open());
    ASSERT_OK(repo_->Migrate());
  }

  Result<std::unique_ptr<SqliteConnection>> RawConnection() {
    return SqliteConnection::Open(harness_.path());
  }

  SqliteRepositoryHarness harness_;
  std::unique_ptr<Repository> repo_;
};

TEST_F(SqliteRepositoryTest, CreatesTheFileAndItsFolder) {
  EXPECT_TRUE(std::filesystem::exists(harness_.path()));
}

TEST_F(SqliteRepositoryTest, TimestampsAreIsoUtcWithMilliseconds) {
  harness_.clock().Advance(std::chrono::milliseconds(7));
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  EXPECT_TRUE(
      std::regex_match(p.created_at, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << p.created_at;
  EXPECT_EQ(p.created_at, "2023-11-14T22:13:20.007Z");
}

TEST_F(SqliteRepositoryTest, AnswersTheSeedsMonitoringQueries) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"lamp", "lighting", "raw/lamp.jpg"}));
  ProductImage image;
  image.storage_key = "enhanced/lamp-1.jpg";
  image.thumbnail_key = "thumbs/lamp-1.jpg";
  image.variant = "faithful";
  image.prompt = "p";
  image.recipe_json = "{}";
  ASSERT_OK(repo_->CompleteProduct(p.id, "h", {image}));

  ASSERT_OK_AND_ASSIGN(auto db, RawConnection());
  ASSERT_OK_AND_ASSIGN(auto pending,
                       db->Prepare("SELECT id, category, status, created_at FROM products "
                                   "WHERE status = 'pending_review'"));
  ASSERT_OK_AND_ASSIGN(bool row, pending.Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(pending.ColumnInt64(0), p.id);
  EXPECT_EQ(pending.ColumnText(1), "lighting");

  ASSERT_OK_AND_ASSIGN(
      auto joined,
      db->Prepare("SELECT p.id, p.name, pi.image_url, pi.thumbnail_url, pi.variant, pi.prompt, "
                  "pi.recipe, pi.width, pi.height, pi.bytes, pi.status, pi.created_at "
                  "FROM products p JOIN product_images pi ON pi.product_id = p.id "
                  "ORDER BY pi.created_at"));
  ASSERT_OK_AND_ASSIGN(row, joined.Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(joined.ColumnText(2), "enhanced/lamp-1.jpg");
  EXPECT_EQ(joined.ColumnText(10), "pending_review");
}

TEST_F(SqliteRepositoryTest, TheDatabaseRefusesUnknownStatuses) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK_AND_ASSIGN(auto db, RawConnection());
  EXPECT_CODE(db->Exec("UPDATE products SET status = 'done' WHERE id = " + std::to_string(p.id)),
              StatusCode::kInvalidArgument);
}

TEST_F(SqliteRepositoryTest, DeletingAProductDeletesItsImages) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ProductImage image;
  image.storage_key = "k";
  ASSERT_OK(repo_->CompleteProduct(p.id, "h", {image}));
  ASSERT_OK_AND_ASSIGN(auto db, RawConnection());
  ASSERT_OK(db->Exec("DELETE FROM products WHERE id = " + std::to_string(p.id)));
  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  EXPECT_TRUE(images.empty());
}

// A write that fails half-way through CompleteProduct must leave no trace: not the images
// written before it, not the product's new status.
TEST_F(SqliteRepositoryTest, CompleteProductIsAllOrNothing) {
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ProductImage old_image;
  old_image.storage_key = "old";
  ASSERT_OK(repo_->CompleteProduct(p.id, "h1", {old_image}));
  ASSERT_OK(repo_->SetProductStatus(p.id, ProductStatus::kProcessing, ""));

  ASSERT_OK_AND_ASSIGN(auto db, RawConnection());
  ASSERT_OK(
      db->Exec("CREATE TRIGGER fail_on_bad BEFORE INSERT ON product_images "
               "WHEN NEW.image_url = 'bad' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"));
  ProductImage good;
  good.storage_key = "good";
  ProductImage bad;
  bad.storage_key = "bad";
  Status status = repo_->CompleteProduct(p.id, "h2", {good, bad});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument)
      << status.ToString();  // RAISE(ABORT) is a constraint error
  EXPECT_NE(status.message().find("completing product"), std::string::npos) << status.ToString();

  ASSERT_OK_AND_ASSIGN(auto images, repo_->ListImages(p.id));
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].storage_key, "old");
  ASSERT_OK_AND_ASSIGN(Product stored, repo_->GetProduct(p.id));
  EXPECT_EQ(stored.status, ProductStatus::kProcessing);
  EXPECT_EQ(stored.source_hash, "h1");
}

TEST_F(SqliteRepositoryTest, TwoRepositoriesOnOneFileSeeEachOthersWrites) {
  ASSERT_OK_AND_ASSIGN(auto other, harness_.Open());  // e.g. `enhancer enqueue` in another process
  ASSERT_OK(other->Migrate());
  ASSERT_OK_AND_ASSIGN(Product p, repo_->CreateProduct({"n", "c", "raw/x"}));
  ASSERT_OK(other->SetProductStatus(p.id, ProductStatus::kQueued, ""));
  ASSERT_OK_AND_ASSIGN(Product seen, repo_->GetProduct(p.id));
  EXPECT_EQ(seen.status, ProductStatus::kQueued);
}

TEST_F(SqliteRepositoryTest, TheSchemaIsAtTheNewestVersion) {
  ASSERT_OK_AND_ASSIGN(auto db, RawConnection());
  ASSERT_OK_AND_ASSIGN(auto select, db->Prepare("SELECT MAX(version) FROM schema_migrations"));
  ASSERT_OK_AND_ASSIGN(bool row, select.Step());
  ASSERT_TRUE(row);
  EXPECT_EQ(select.ColumnInt64(0), static_cast<int64_t>(SqliteMigrations().size()));
  EXPECT_EQ(select.ColumnInt64(0), 3);
}

}  // namespace
}  // namespace enhancer
