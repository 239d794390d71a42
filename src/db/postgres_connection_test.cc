#include "db/postgres_connection.h"

#include <gtest/gtest.h>

#include <latch>
#include <string>
#include <thread>

#include "db/postgres_test_cluster.h"
#include "db/postgres_url.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

// A fresh database in the shared cluster, and a connection to it.
class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(database_.status());
    ASSERT_OK_AND_ASSIGN(target_, ParsePostgresUrl(database_.url()));
    ASSERT_OK_AND_ASSIGN(db_, PostgresConnection::Open(target_));
  }

  Result<std::unique_ptr<PostgresConnection>> Connect() {
    return PostgresConnection::Open(target_);
  }

  ScopedPostgresDatabase database_;
  PostgresTarget target_;
  std::unique_ptr<PostgresConnection> db_;
};

TEST_F(PostgresConnectionTest, QueriesBindTextAndNullAndReadThemBack) {
  ASSERT_OK_AND_ASSIGN(PostgresRows rows,
                       db_->Query("SELECT $1::text, $2::text, $3::bigint, $1::text || '!'",
                                  {PgParam("Sac à main « été » 👜"), std::nullopt,
                                   PgParam(int64_t{-9007199254740993})}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "Sac à main « été » 👜");
  EXPECT_TRUE(rows[0].IsNull(1));
  EXPECT_EQ(rows[0].Text(1), "");
  EXPECT_EQ(rows[0].Int64(2), -9007199254740993);
  EXPECT_EQ(rows[0].Text(3), "Sac à main « été » 👜!");
}

TEST_F(PostgresConnectionTest, ParametersAreNeverParsedAsSql) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (v TEXT)"));
  const std::string hostile = "x'); DROP TABLE t; --";
  ASSERT_OK(db_->Query("INSERT INTO t (v) VALUES ($1)", {PgParam(hostile)}));
  ASSERT_OK_AND_ASSIGN(PostgresRows rows, db_->Query("SELECT v FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), hostile);
}

TEST_F(PostgresConnectionTest, AFailedTransactionLeavesNoTrace) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (v INTEGER)"));
  Status status = db_->Transaction([&]() -> Status {
    ENHANCER_RETURN_IF_ERROR(db_->Query("INSERT INTO t VALUES (1)").error());
    return InvalidArgumentError("changed my mind");
  });
  EXPECT_CODE(status, StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "changed my mind");

  status = db_->Transaction([&]() -> Status {
    ENHANCER_RETURN_IF_ERROR(db_->Query("INSERT INTO t VALUES (2)").error());
    return db_->Query("INSERT INTO no_such_table VALUES (3)").error();
  });
  EXPECT_CODE(status, StatusCode::kInternal);
  EXPECT_NE(status.message().find("no_such_table"), std::string::npos) << status.ToString();

  ASSERT_OK_AND_ASSIGN(PostgresRows rows, db_->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(rows[0].Int64(0), 0);
  EXPECT_FALSE(db_->broken());
}

TEST_F(PostgresConnectionTest, NestedTransactionsAreABug) {
  Status status = db_->Transaction([&] { return db_->Transaction([] { return OkStatus(); }); });
  EXPECT_CODE(status, StatusCode::kInternal);
}

// The server's SQLSTATE decides the code. Each is raised by a DO block, so the table covers
// codes that are hard to provoke for real (disk full, admin shutdown).
TEST_F(PostgresConnectionTest, ServerErrorsMapToCodesBySqlState) {
  struct Case {
    const char* sqlstate;
    StatusCode code;
  };
  const Case cases[] = {
      {"23505", StatusCode::kAlreadyExists},      // unique_violation
      {"23514", StatusCode::kInvalidArgument},    // check_violation
      {"23503", StatusCode::kInvalidArgument},    // foreign_key_violation
      {"23502", StatusCode::kInvalidArgument},    // not_null_violation
      {"22P02", StatusCode::kInvalidArgument},    // invalid_text_representation
      {"40001", StatusCode::kUnavailable},        // serialization_failure
      {"40P01", StatusCode::kUnavailable},        // deadlock_detected
      {"55P03", StatusCode::kUnavailable},        // lock_not_available
      {"57P01", StatusCode::kUnavailable},        // admin_shutdown
      {"57014", StatusCode::kDeadlineExceeded},   // query_canceled (statement_timeout)
      {"53100", StatusCode::kResourceExhausted},  // disk_full
      {"53300", StatusCode::kUnavailable},        // too_many_connections
      {"42601", StatusCode::kInternal},           // syntax_error
      {"P0001", StatusCode::kInternal},           // raise_exception
  };
  for (const Case& c : cases) {
    Status status = db_->Exec(std::string("DO $$ BEGIN RAISE EXCEPTION 'raised %', '") +
                              c.sqlstate + "' USING ERRCODE = '" + c.sqlstate + "'; END $$");
    EXPECT_CODE(status, c.code) << c.sqlstate;
    EXPECT_NE(status.message().find(std::string("raised ") + c.sqlstate), std::string::npos)
        << status.ToString();
    EXPECT_FALSE(db_->broken()) << c.sqlstate;
  }
}

TEST_F(PostgresConnectionTest, UniqueViolationIsAlreadyExists) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
  ASSERT_OK(db_->Query("INSERT INTO t VALUES ($1)", {PgParam("a")}));
  Result<PostgresRows> again = db_->Query("INSERT INTO t VALUES ($1)", {PgParam("a")});
  EXPECT_CODE(again, StatusCode::kAlreadyExists);
  EXPECT_NE(again.error().message().find("duplicate key"), std::string::npos)
      << again.error().ToString();
}

TEST_F(PostgresConnectionTest, SerializationFailureIsUnavailable) {
  ASSERT_OK(
      db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 0)"));
  ASSERT_OK_AND_ASSIGN(auto other, Connect());
  Status status = db_->Transaction([&]() -> Status {
    ENHANCER_RETURN_IF_ERROR(db_->Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
    ENHANCER_RETURN_IF_ERROR(db_->Query("SELECT v FROM t WHERE id = 1").error());
    // Another session changes the row after this transaction's snapshot was taken.
    ENHANCER_RETURN_IF_ERROR(other->Query("UPDATE t SET v = 1 WHERE id = 1").error());
    return db_->Query("UPDATE t SET v = 2 WHERE id = 1").error();
  });
  EXPECT_CODE(status, StatusCode::kUnavailable);
  EXPECT_FALSE(db_->broken());
  ASSERT_OK_AND_ASSIGN(PostgresRows rows, db_->Query("SELECT v FROM t WHERE id = 1"));
  EXPECT_EQ(rows[0].Int64(0), 1);
}

TEST_F(PostgresConnectionTest, DeadlockIsUnavailableForOneAndTheOtherCommits) {
  ASSERT_OK(
      db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); "
                "INSERT INTO t VALUES (1, 0), (2, 0)"));
  ASSERT_OK_AND_ASSIGN(auto other, Connect());
  // Each session locks one row, then waits for the other's: the server detects the cycle (after
  // deadlock_timeout, 1 s) and fails one of them.
  std::latch both_locked(2);
  Status first;
  Status second;
  auto lock_both = [&both_locked](PostgresConnection& db, int mine, int theirs) {
    return db.Transaction([&]() -> Status {
      ENHANCER_RETURN_IF_ERROR(
          db.Query("UPDATE t SET v = v + 1 WHERE id = $1", {PgParam(int64_t{mine})}).error());
      both_locked.arrive_and_wait();
      return db.Query("UPDATE t SET v = v + 1 WHERE id = $1", {PgParam(int64_t{theirs})}).error();
    });
  };
  {
    std::jthread a([&] { first = lock_both(*db_, 1, 2); });
    std::jthread b([&] { second = lock_both(*other, 2, 1); });
  }
  EXPECT_NE(first.ok(), second.ok()) << first.ToString() << " / " << second.ToString();
  const Status& failed = first.ok() ? second : first;
  EXPECT_CODE(failed, StatusCode::kUnavailable);
  EXPECT_NE(failed.message().find("deadlock"), std::string::npos) << failed.ToString();
}

TEST_F(PostgresConnectionTest, ATerminatedSessionIsBrokenAndUnavailable) {
  ASSERT_OK_AND_ASSIGN(PostgresRows pid, db_->Query("SELECT pg_backend_pid()"));
  EXPECT_TRUE(db_->LooksAlive());
  ASSERT_OK_AND_ASSIGN(auto admin, Connect());
  // The second argument waits (up to 10 s) until the backend is gone.
  ASSERT_OK_AND_ASSIGN(
      PostgresRows terminated,
      admin->Query("SELECT pg_terminate_backend($1, 10000)", {PgParam(pid[0].Int64(0))}));
  EXPECT_EQ(terminated[0].Text(0), "t");

  Result<PostgresRows> after = db_->Query("SELECT 1");
  EXPECT_CODE(after, StatusCode::kUnavailable);
  EXPECT_NE(after.error().message().find(target_.Describe()), std::string::npos)
      << after.error().ToString();
  EXPECT_TRUE(db_->broken());
  EXPECT_FALSE(db_->commit_in_doubt());  // lost before COMMIT: nothing was applied
  EXPECT_FALSE(db_->LooksAlive());
  EXPECT_CODE(db_->Query("SELECT 1"), StatusCode::kUnavailable);
}

TEST_F(PostgresConnectionTest, LooksAliveNoticesATerminatedIdleSession) {
  ASSERT_OK_AND_ASSIGN(PostgresRows pid, db_->Query("SELECT pg_backend_pid()"));
  ASSERT_OK_AND_ASSIGN(auto admin, Connect());
  ASSERT_OK(admin->Query("SELECT pg_terminate_backend($1, 10000)", {PgParam(pid[0].Int64(0))}));
  EXPECT_FALSE(db_->LooksAlive());
  EXPECT_TRUE(db_->broken());
}

// ---- Opening ----

TEST(PostgresConnectionOpenTest, ServerDownIsUnavailableNamingServerAndDatabase) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_NE(cluster, nullptr) << SharedPostgresClusterError();
  ASSERT_OK_AND_ASSIGN(PostgresTarget target,
                       ParsePostgresUrl("postgres://shop:Tr0ub4dor-Secret@127.0.0.1:" +
                                        std::to_string(cluster->port()) + "/shop"));
  // The cluster's port while it is stopped: certainly nobody listens there.
  ASSERT_OK(cluster->Stop());
  Result<std::unique_ptr<PostgresConnection>> db = PostgresConnection::Open(target);
  ASSERT_OK(cluster->StartAgain());

  ASSERT_CODE(db, StatusCode::kUnavailable);
  const std::string message = db.error().message();
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(cluster->port())), std::string::npos)
      << message;
  EXPECT_NE(message.find("\"shop\""), std::string::npos) << message;
  EXPECT_EQ(message.find("Tr0ub4dor"), std::string::npos) << message;
}

TEST(PostgresConnectionOpenTest, WrongPasswordIsUnavailableWithoutThePassword) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_NE(cluster, nullptr) << SharedPostgresClusterError();
  ASSERT_OK_AND_ASSIGN(PostgresTarget target,
                       ParsePostgresUrl("postgres://postgres:Tr0ub4dor-Secret@127.0.0.1:" +
                                        std::to_string(cluster->port()) + "/postgres"));
  Result<std::unique_ptr<PostgresConnection>> db = PostgresConnection::Open(target);
  ASSERT_CODE(db, StatusCode::kUnavailable);
  const std::string message = db.error().message();
  EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  EXPECT_NE(message.find(target.Describe()), std::string::npos) << message;
  EXPECT_EQ(message.find("Tr0ub4dor"), std::string::npos) << message;
}

TEST(PostgresConnectionOpenTest, UnknownDatabaseIsNamed) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_NE(cluster, nullptr) << SharedPostgresClusterError();
  ASSERT_OK_AND_ASSIGN(PostgresTarget target, ParsePostgresUrl(cluster->Url("no_such_db")));
  Result<std::unique_ptr<PostgresConnection>> db = PostgresConnection::Open(target);
  ASSERT_CODE(db, StatusCode::kUnavailable);
  EXPECT_NE(db.error().message().find("no_such_db"), std::string::npos) << db.error().ToString();
  EXPECT_EQ(db.error().message().find(cluster->password()), std::string::npos);
}

}  // namespace
}  // namespace enhancer
