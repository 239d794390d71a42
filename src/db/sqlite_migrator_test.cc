#include "db/sqlite_migrator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/migrations/sqlite_migrations.h"
#include "db/scoped_temp_dir.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

const Migration kCreateA{1, "0001_create_a", "CREATE TABLE a (x INTEGER);"};
const Migration kCreateB{2, "0002_create_b",
                         "CREATE TABLE b (y INTEGER); INSERT INTO b (y) VALUES (7);"};
// The first statement succeeds, the second fails: the step must leave nothing behind.
const Migration kBrokenC{3, "0003_broken_c",
                         "CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1);"};

class SqliteMigratorTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(db_, SqliteConnection::Open(dir_.File("m.db"))); }

  bool TableExists(const std::string& name) {
    Result<SqliteStatement> select =
        db_->Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!select) return false;
    select->Bind(1, name);
    Result<bool> row = select->Step();
    return row && *row && select->ColumnInt64(0) == 1;
  }

  int64_t Count(const std::string& table) {
    Result<SqliteStatement> select = db_->Prepare("SELECT COUNT(*) FROM " + table);
    if (!select) return -1;
    Result<bool> row = select->Step();
    return row && *row ? select->ColumnInt64(0) : -1;
  }

  ScopedTempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteConnection> db_;
};

TEST_F(SqliteMigratorTest, FreshDatabaseHasVersionZero) {
  ASSERT_OK_AND_ASSIGN(int version, SchemaVersion(*db_));
  EXPECT_EQ(version, 0);
}

TEST_F(SqliteMigratorTest, AppliesAllStepsInOrderAndRecordsThem) {
  const std::vector<Migration> migrations = {kCreateA, kCreateB};
  ASSERT_OK(ApplyMigrations(*db_, migrations, clock_));
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));
  ASSERT_OK_AND_ASSIGN(int version, SchemaVersion(*db_));
  EXPECT_EQ(version, 2);

  ASSERT_OK_AND_ASSIGN(auto rows,
                       db_->Prepare("SELECT version, name, applied_at FROM schema_migrations "
                                    "ORDER BY version"));
  for (const Migration& m : migrations) {
    ASSERT_OK_AND_ASSIGN(bool has_row, rows.Step());
    ASSERT_TRUE(has_row);
    EXPECT_EQ(rows.ColumnInt64(0), m.version);
    EXPECT_EQ(rows.ColumnText(1), m.name);
    EXPECT_EQ(rows.ColumnText(2), FormatIso8601(clock_.Now()));
  }
}

TEST_F(SqliteMigratorTest, IsIdempotent) {
  const std::vector<Migration> migrations = {kCreateA, kCreateB};
  ASSERT_OK(ApplyMigrations(*db_, migrations, clock_));
  ASSERT_OK(ApplyMigrations(*db_, migrations, clock_));
  EXPECT_EQ(Count("schema_migrations"), 2);
  EXPECT_EQ(Count("b"), 1);  // the data step ran once
}

TEST_F(SqliteMigratorTest, UpgradesAnOlderDatabaseByTheMissingStepsOnly) {
  ASSERT_OK(ApplyMigrations(*db_, std::vector<Migration>{kCreateA}, clock_));
  ASSERT_OK(db_->Exec("INSERT INTO a (x) VALUES (1)"));
  ASSERT_OK(ApplyMigrations(*db_, std::vector<Migration>{kCreateA, kCreateB}, clock_));
  EXPECT_EQ(Count("a"), 1);
  EXPECT_TRUE(TableExists("b"));
  ASSERT_OK_AND_ASSIGN(int version, SchemaVersion(*db_));
  EXPECT_EQ(version, 2);
}

TEST_F(SqliteMigratorTest, AFailingStepLeavesTheSchemaAtTheLastWholeVersion) {
  Status status =
      ApplyMigrations(*db_, std::vector<Migration>{kCreateA, kCreateB, kBrokenC}, clock_);
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("0003_broken_c"), std::string::npos) << status.ToString();
  EXPECT_FALSE(TableExists("c"));
  ASSERT_OK_AND_ASSIGN(int version, SchemaVersion(*db_));
  EXPECT_EQ(version, 2);
}

TEST_F(SqliteMigratorTest, RefusesBadNumbering) {
  const Migration kSkipped{3, "0003_skipped", "SELECT 1;"};
  EXPECT_CODE(ApplyMigrations(*db_, std::vector<Migration>{kCreateA, kSkipped}, clock_),
              StatusCode::kInternal);
  EXPECT_CODE(ApplyMigrations(*db_, std::vector<Migration>{kCreateB}, clock_),
              StatusCode::kInternal);
  EXPECT_FALSE(TableExists("a"));
}

TEST_F(SqliteMigratorTest, ADatabaseNewerThanTheProgramIsAFailedPrecondition) {
  ASSERT_OK(ApplyMigrations(*db_, std::vector<Migration>{kCreateA, kCreateB}, clock_));
  EXPECT_CODE(ApplyMigrations(*db_, std::vector<Migration>{kCreateA}, clock_),
              StatusCode::kFailedPrecondition);
  EXPECT_CODE(ApplyMigrations(*db_, std::vector<Migration>{}, clock_),
              StatusCode::kFailedPrecondition);
}

TEST_F(SqliteMigratorTest, TwoConnectionsMigratingTheSameFileApplyEachStepOnce) {
  ASSERT_OK_AND_ASSIGN(auto other, SqliteConnection::Open(dir_.File("m.db")));
  const std::vector<Migration> migrations = {kCreateA, kCreateB};
  ASSERT_OK(ApplyMigrations(*db_, migrations, clock_));
  ASSERT_OK(ApplyMigrations(*other, migrations, clock_));
  EXPECT_EQ(Count("b"), 1);
}

TEST(SqliteMigrationsTest, EmbeddedFilesAreNumberedFromOneAndNamedByVersion) {
  std::span<const Migration> migrations = SqliteMigrations();
  ASSERT_GE(migrations.size(), 2u);
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    std::string prefix = std::to_string(i + 1) + "_";
    prefix.insert(0, 5 - prefix.size(), '0');  // 1 -> "0001_"
    EXPECT_EQ(migrations[i].name.substr(0, 5), prefix);
    EXPECT_FALSE(migrations[i].sql.empty());
  }
}

}  // namespace
}  // namespace enhancer
