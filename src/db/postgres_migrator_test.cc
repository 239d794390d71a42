#include "db/postgres_migrator.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "db/migrations/postgres_migrations.h"
#include "db/postgres_test_cluster.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

constexpr Migration kTwoSteps[] = {
    {1, "0001_create_a", "CREATE TABLE a (id BIGSERIAL PRIMARY KEY)"},
    {2, "0002_create_b", "CREATE TABLE b (id BIGSERIAL PRIMARY KEY); CREATE INDEX b_idx ON b (id)"},
};

class PostgresMigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(database_.status());
    ASSERT_OK_AND_ASSIGN(target_, ParsePostgresUrl(database_.url()));
    ASSERT_OK_AND_ASSIGN(db_, PostgresConnection::Open(target_));
  }

  bool TableExists(const std::string& name) {
    Result<PostgresRows> rows = db_->Query("SELECT to_regclass($1) IS NOT NULL", {PgParam(name)});
    EXPECT_OK(rows);
    return rows && rows->at(0).Text(0) == "t";
  }

  ScopedPostgresDatabase database_;
  PostgresTarget target_;
  std::unique_ptr<PostgresConnection> db_;
  FakeClock clock_;
};

TEST_F(PostgresMigratorTest, AFreshDatabaseIsAtVersionZero) {
  ASSERT_OK_AND_ASSIGN(int version, PostgresSchemaVersion(*db_));
  EXPECT_EQ(version, 0);
}

TEST_F(PostgresMigratorTest, AppliesEveryStepOnceAndRecordsIt) {
  ASSERT_OK(ApplyPostgresMigrations(*db_, kTwoSteps, clock_));
  ASSERT_OK(ApplyPostgresMigrations(*db_, kTwoSteps, clock_));
  EXPECT_TRUE(TableExists("a"));
  EXPECT_TRUE(TableExists("b"));
  ASSERT_OK_AND_ASSIGN(int version, PostgresSchemaVersion(*db_));
  EXPECT_EQ(version, 2);
  ASSERT_OK_AND_ASSIGN(
      PostgresRows rows,
      db_->Query("SELECT version, name, to_char(applied_at AT TIME ZONE 'UTC', "
                 "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM schema_migrations ORDER BY version"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int64(0), 1);
  EXPECT_EQ(rows[0].Text(1), "0001_create_a");
  EXPECT_EQ(rows[0].Text(2), FormatIso8601(clock_.Now()));
  EXPECT_EQ(rows[1].Text(1), "0002_create_b");
}

TEST_F(PostgresMigratorTest, UpgradesStepByStep) {
  ASSERT_OK(ApplyPostgresMigrations(*db_, std::span(kTwoSteps).first(1), clock_));
  EXPECT_TRUE(TableExists("a"));
  EXPECT_FALSE(TableExists("b"));
  ASSERT_OK(ApplyPostgresMigrations(*db_, kTwoSteps, clock_));
  EXPECT_TRUE(TableExists("b"));
}

TEST_F(PostgresMigratorTest, AFailingStepLeavesTheSchemaAtTheLastWholeVersion) {
  constexpr Migration kBroken[] = {
      kTwoSteps[0],
      {2, "0002_half_broken", "CREATE TABLE c (id INTEGER); CREATE TABLE c (id INTEGER)"},
  };
  Status status = ApplyPostgresMigrations(*db_, kBroken, clock_);
  EXPECT_CODE(status, StatusCode::kInternal);
  EXPECT_NE(status.message().find("0002_half_broken"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find(target_.Describe()), std::string::npos) << status.ToString();
  ASSERT_OK_AND_ASSIGN(int version, PostgresSchemaVersion(*db_));
  EXPECT_EQ(version, 1);
  EXPECT_FALSE(TableExists("c"));  // DDL is transactional: the first CREATE went too
}

TEST_F(PostgresMigratorTest, ANewerDatabaseIsFailedPrecondition) {
  ASSERT_OK(ApplyPostgresMigrations(*db_, kTwoSteps, clock_));
  Status status = ApplyPostgresMigrations(*db_, std::span(kTwoSteps).first(1), clock_);
  EXPECT_CODE(status, StatusCode::kFailedPrecondition);
  EXPECT_CODE(ApplyPostgresMigrations(*db_, {}, clock_), StatusCode::kFailedPrecondition);
}

TEST_F(PostgresMigratorTest, MisnumberedMigrationsAreABug) {
  constexpr Migration kGap[] = {kTwoSteps[0], {3, "0003_x", "SELECT 1"}};
  EXPECT_CODE(ApplyPostgresMigrations(*db_, kGap, clock_), StatusCode::kInternal);
  ASSERT_OK_AND_ASSIGN(int version, PostgresSchemaVersion(*db_));
  EXPECT_EQ(version, 0);
}

// Several processes starting at once (`enhancer serve` on two machines) all migrate: the advisory
// lock makes them take turns, so each step runs once and nobody fails. Threads with their own
// sessions are, to the server, the same as processes.
TEST_F(PostgresMigratorTest, ConcurrentMigrationsApplyEachStepOnce) {
  constexpr int kRounds = 3;
  constexpr int kMigrators = 4;
  for (int round = 0; round < kRounds; ++round) {
    ScopedPostgresDatabase fresh;
    ASSERT_OK(fresh.status());
    ASSERT_OK_AND_ASSIGN(PostgresTarget target, ParsePostgresUrl(fresh.url()));
    std::vector<std::unique_ptr<PostgresConnection>> sessions;
    for (int i = 0; i < kMigrators; ++i) {
      ASSERT_OK_AND_ASSIGN(auto session, PostgresConnection::Open(target));
      sessions.push_back(std::move(session));
    }
    std::vector<Status> results(kMigrators);
    {
      std::vector<std::jthread> threads;
      for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&, i] {
          results[i] = ApplyPostgresMigrations(*sessions[i], PostgresMigrations(), clock_);
        });
      }
    }
    for (int i = 0; i < kMigrators; ++i) EXPECT_OK(results[i]) << "round " << round << " #" << i;
    ASSERT_OK_AND_ASSIGN(PostgresRows rows,
                         sessions[0]->Query("SELECT version FROM schema_migrations ORDER BY 1"));
    ASSERT_EQ(rows.size(), PostgresMigrations().size());
    for (size_t v = 0; v < rows.size(); ++v)
      EXPECT_EQ(rows[v].Int64(0), static_cast<int64_t>(v + 1));
    sessions.clear();
  }
}

// Same names and rules as the SQLite schema, with PostgreSQL's types for ids and times.
TEST_F(PostgresMigratorTest, TheRepositorySchemaUsesBigintIdsAndTimestamptz) {
  ASSERT_OK(ApplyPostgresMigrations(*db_, PostgresMigrations(), clock_));
  ASSERT_OK_AND_ASSIGN(PostgresRows rows,
                       db_->Query("SELECT table_name || '.' || column_name, data_type "
                                  "FROM information_schema.columns "
                                  "WHERE table_name IN ('products', 'product_images')"));
  std::map<std::string, std::string> types;
  for (const PostgresRow& row : rows) types[row.Text(0)] = row.Text(1);
  const std::map<std::string, std::string> expected = {
      {"products.id", "bigint"},
      {"products.name", "text"},
      {"products.planner", "text"},
      {"products.planner_note", "text"},
      {"products.planner_output_tokens", "bigint"},
      {"products.planner_prompt_tokens", "bigint"},
      {"products.category", "text"},
      {"products.raw_image_url", "text"},
      {"products.status", "text"},
      {"products.error", "text"},
      {"products.source_hash", "text"},
      {"products.created_at", "timestamp with time zone"},
      {"products.updated_at", "timestamp with time zone"},
      {"product_images.id", "bigint"},
      {"product_images.product_id", "bigint"},
      {"product_images.image_url", "text"},
      {"product_images.thumbnail_url", "text"},
      {"product_images.variant", "text"},
      {"product_images.prompt", "text"},
      {"product_images.recipe", "text"},
      {"product_images.width", "integer"},
      {"product_images.height", "integer"},
      {"product_images.bytes", "bigint"},
      {"product_images.status", "text"},
      {"product_images.created_at", "timestamp with time zone"},
  };
  EXPECT_EQ(types, expected);
}

}  // namespace
}  // namespace enhancer
