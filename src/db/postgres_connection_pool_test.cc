#include "db/postgres_connection_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "db/postgres_test_cluster.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

class PostgresConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(database_.status());
    ASSERT_OK_AND_ASSIGN(target_, ParsePostgresUrl(database_.url()));
  }

  // The server process id behind the session `pool` lends next.
  static Result<int64_t> BackendPid(PostgresConnectionPool& pool) {
    int64_t pid = 0;
    Status status = pool.Run([&](PostgresConnection& db) -> Status {
      Result<PostgresRows> rows = db.Query("SELECT pg_backend_pid()");
      if (!rows) return rows.error();
      pid = rows->at(0).Int64(0);
      return OkStatus();
    });
    if (!status.ok()) return status;
    return pid;
  }

  // Terminates every other session on the test database and waits until they are gone.
  void TerminateOtherSessions() {
    ASSERT_OK_AND_ASSIGN(auto admin, PostgresConnection::Open(target_));
    ASSERT_OK(
        admin->Query("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()"));
  }

  ScopedPostgresDatabase database_;
  PostgresTarget target_;
};

TEST_F(PostgresConnectionPoolTest, ReusesAnIdleSession) {
  PostgresConnectionPool pool(target_, 4);
  ASSERT_OK_AND_ASSIGN(int64_t first, BackendPid(pool));
  ASSERT_OK_AND_ASSIGN(int64_t second, BackendPid(pool));
  EXPECT_EQ(first, second);
  EXPECT_EQ(pool.connections_opened(), 1);
  EXPECT_EQ(pool.connections_open(), 1);
}

TEST_F(PostgresConnectionPoolTest, ReplacesSessionsTheServerTerminated) {
  PostgresConnectionPool pool(target_, 4);
  ASSERT_OK_AND_ASSIGN(int64_t before, BackendPid(pool));
  TerminateOtherSessions();
  ASSERT_OK_AND_ASSIGN(int64_t after, BackendPid(pool));
  EXPECT_NE(after, before);
  EXPECT_EQ(pool.connections_opened(), 2);
  EXPECT_EQ(pool.connections_open(), 1);
}

// The session dies in the middle of the work, where no health check can see it coming: the
// transaction was rolled back, so the pool runs the work again on a new session.
TEST_F(PostgresConnectionPoolTest, RunsWorkAgainWhenItsSessionIsLostBeforeCommit) {
  PostgresConnectionPool pool(target_, 4);
  ASSERT_OK(pool.Run([](PostgresConnection& db) { return db.Exec("CREATE TABLE t (v INTEGER)"); }));
  int attempts = 0;
  Status status = pool.Run([&](PostgresConnection& db) {
    return db.Transaction([&]() -> Status {
      ++attempts;
      ENHANCER_RETURN_IF_ERROR(
          db.Query("INSERT INTO t VALUES ($1)", {PgParam(int64_t{attempts})}).error());
      if (attempts == 1) return db.Query("SELECT pg_terminate_backend(pg_backend_pid())").error();
      return OkStatus();
    });
  });
  EXPECT_OK(status);
  EXPECT_EQ(attempts, 2);
  ASSERT_OK(pool.Run([&](PostgresConnection& db) -> Status {
    Result<PostgresRows> rows = db.Query("SELECT v FROM t");
    if (!rows) return rows.error();
    EXPECT_EQ(rows->size(), 1u);
    if (rows->size() == 1) {
      EXPECT_EQ(rows->at(0).Int64(0), 2);  // the first insert rolled back
    }
    return OkStatus();
  }));
}

TEST_F(PostgresConnectionPoolTest, RunsWorkOnlyTwiceWhenEverySessionDies) {
  PostgresConnectionPool pool(target_, 4);
  int attempts = 0;
  Status status = pool.Run([&](PostgresConnection& db) {
    ++attempts;
    return db.Query("SELECT pg_terminate_backend(pg_backend_pid())").error();
  });
  EXPECT_CODE(status, StatusCode::kUnavailable);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(pool.connections_open(), 0);
}

TEST_F(PostgresConnectionPoolTest, DoesNotRunWorkAgainForOtherErrors) {
  PostgresConnectionPool pool(target_, 4);
  int attempts = 0;
  Status status = pool.Run([&](PostgresConnection& db) {
    ++attempts;
    return db.Exec("DO $$ BEGIN RAISE EXCEPTION 'busy' USING ERRCODE = '40001'; END $$");
  });
  EXPECT_CODE(status, StatusCode::kUnavailable);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(pool.connections_open(), 1);  // the session is fine and kept
}

TEST_F(PostgresConnectionPoolTest, OneLostSessionDropsTheIdleOnesToo) {
  PostgresConnectionPool pool(target_, 4);
  // Three callers at once make three sessions.
  {
    std::latch all_in(3);
    std::vector<std::jthread> callers;
    for (int i = 0; i < 3; ++i) {
      callers.emplace_back([&] {
        EXPECT_OK(pool.Run([&](PostgresConnection& db) {
          all_in.arrive_and_wait();
          return db.Query("SELECT 1").error();
        }));
      });
    }
  }
  ASSERT_EQ(pool.connections_open(), 3);
  TerminateOtherSessions();
  ASSERT_OK(BackendPid(pool));
  EXPECT_EQ(pool.connections_open(), 1);
  EXPECT_EQ(pool.connections_opened(), 4);
}

TEST_F(PostgresConnectionPoolTest, NeverLendsMoreThanMaxSessions) {
  constexpr int kMax = 2;
  constexpr int kThreads = 6;
  PostgresConnectionPool pool(target_, kMax);
  std::atomic<int> busy{0};
  std::atomic<int> most{0};
  {
    std::vector<std::jthread> callers;
    for (int t = 0; t < kThreads; ++t) {
      callers.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          EXPECT_OK(pool.Run([&](PostgresConnection& db) {
            int now = ++busy;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            Status status = db.Query("SELECT pg_sleep(0.001)").error();
            --busy;
            return status;
          }));
        }
      });
    }
  }
  EXPECT_LE(most.load(), kMax);
  EXPECT_LE(pool.connections_opened(), kMax);
}

TEST_F(PostgresConnectionPoolTest, WarmReportsAServerThatIsDown) {
  PostgresTestCluster* cluster = SharedPostgresCluster();
  ASSERT_OK(cluster->Stop());
  PostgresConnectionPool pool(target_, 4);
  Status warm = pool.Warm();
  ASSERT_OK(cluster->StartAgain());
  EXPECT_CODE(warm, StatusCode::kUnavailable);
  EXPECT_NE(warm.message().find(target_.Describe()), std::string::npos) << warm.ToString();
  EXPECT_EQ(pool.connections_open(), 0);
  EXPECT_OK(pool.Warm());
  EXPECT_EQ(pool.connections_open(), 1);
}

}  // namespace
}  // namespace enhancer
