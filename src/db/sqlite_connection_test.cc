#include "db/sqlite_connection.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "db/scoped_temp_dir.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

class SqliteConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_OK_AND_ASSIGN(db_, SqliteConnection::Open(dir_.File("test.db")));
  }

  // The text of the first column of the first row of `sql`.
  std::string QueryText(SqliteConnection& db, const std::string& sql) {
    Result<SqliteStatement> select = db.Prepare(sql);
    if (!select) return "error: " + select.error().ToString();
    Result<bool> row = select->Step();
    if (!row) return "error: " + row.error().ToString();
    return *row ? select->ColumnText(0) : "no row";
  }

  ScopedTempDir dir_;
  std::unique_ptr<SqliteConnection> db_;
};

TEST_F(SqliteConnectionTest, OpensWithWalAndForeignKeys) {
  EXPECT_EQ(QueryText(*db_, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(*db_, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(db_->path(), dir_.File("test.db"));
}

TEST_F(SqliteConnectionTest, CreatesMissingParentFolders) {
  std::string path = dir_.File("a/b/c/nested.db");
  ASSERT_OK_AND_ASSIGN(auto db, SqliteConnection::Open(path));
  ASSERT_OK(db->Exec("CREATE TABLE t (x INTEGER)"));
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(SqliteConnectionTest, UnopenablePathIsUnavailable) {
  // A regular file where a folder should be: neither the folder nor the database can be made.
  std::ofstream(dir_.File("plain-file")) << "x";
  EXPECT_CODE(SqliteConnection::Open(dir_.File("plain-file/sub/x.db")), StatusCode::kUnavailable);
  SqliteOptions no_mkdir;
  no_mkdir.create_parent_dir = false;
  EXPECT_CODE(SqliteConnection::Open(dir_.File("missing/x.db"), no_mkdir),
              StatusCode::kUnavailable);
}

TEST_F(SqliteConnectionTest, BindsAndReadsValues) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (i INTEGER, s TEXT, n TEXT)"));
  ASSERT_OK_AND_ASSIGN(auto insert, db_->Prepare("INSERT INTO t (i, s, n) VALUES (?, ?, ?)"));
  const std::string with_nul("a\0b", 3);
  insert.Bind(1, int64_t{1} << 40).Bind(2, with_nul).BindTextOrNull(3, "");
  ASSERT_OK(insert.Run());
  EXPECT_EQ(db_->Changes(), 1);
  EXPECT_EQ(db_->LastInsertRowId(), 1);

  ASSERT_OK_AND_ASSIGN(auto select, db_->Prepare("SELECT i, s, n FROM t"));
  ASSERT_OK_AND_ASSIGN(bool has_row, select.Step());
  ASSERT_TRUE(has_row);
  EXPECT_EQ(select.ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(select.ColumnText(1), with_nul);
  EXPECT_TRUE(select.ColumnIsNull(2));
  EXPECT_EQ(select.ColumnText(2), "");
  ASSERT_OK_AND_ASSIGN(has_row, select.Step());
  EXPECT_FALSE(has_row);
}

TEST_F(SqliteConnectionTest, ResetRunsAStatementAgain) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (i INTEGER)"));
  ASSERT_OK_AND_ASSIGN(auto insert, db_->Prepare("INSERT INTO t (i) VALUES (?)"));
  for (int i = 0; i < 3; ++i) {
    insert.Reset();
    insert.Bind(1, i);
    ASSERT_OK(insert.Run());
  }
  EXPECT_EQ(QueryText(*db_, "SELECT COUNT(*) FROM t"), "3");
}

TEST_F(SqliteConnectionTest, MapsConstraintViolationsToCodes) {
  ASSERT_OK(
      db_->Exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                "CREATE TABLE t (id INTEGER PRIMARY KEY, u TEXT UNIQUE, nn TEXT NOT NULL,"
                "                c INTEGER CHECK (c > 0), p INTEGER REFERENCES parent (id));"
                "INSERT INTO parent (id) VALUES (1);"
                "INSERT INTO t (id, u, nn, c, p) VALUES (1, 'taken', 'x', 1, 1);"));
  struct Case {
    const char* sql;
    StatusCode code;
  };
  const Case kCases[] = {
      {"INSERT INTO t (id, u, nn, c) VALUES (1, 'other', 'x', 1)", StatusCode::kAlreadyExists},
      {"INSERT INTO t (id, u, nn, c) VALUES (2, 'taken', 'x', 1)", StatusCode::kAlreadyExists},
      {"INSERT INTO t (id, u, nn, c) VALUES (3, 'u3', NULL, 1)", StatusCode::kInvalidArgument},
      {"INSERT INTO t (id, u, nn, c) VALUES (4, 'u4', 'x', 0)", StatusCode::kInvalidArgument},
      {"INSERT INTO t (id, u, nn, c, p) VALUES (5, 'u5', 'x', 1, 99)",
       StatusCode::kInvalidArgument},
  };
  for (const Case& c : kCases) {
    ASSERT_OK_AND_ASSIGN(auto statement, db_->Prepare(c.sql));
    EXPECT_CODE(statement.Run(), c.code);
    EXPECT_CODE(db_->Exec(c.sql), c.code);
  }
}

TEST_F(SqliteConnectionTest, ErrorsNameTheStatement) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
  ASSERT_OK(db_->Exec("INSERT INTO t (id) VALUES (1)"));
  Status status = db_->Exec("INSERT INTO t (id) VALUES (1)");
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(status.message().find("INSERT INTO t"), std::string::npos) << status.ToString();
  EXPECT_NE(status.message().find("UNIQUE constraint failed"), std::string::npos)
      << status.ToString();
}

TEST_F(SqliteConnectionTest, ProgrammingErrorsAreInternal) {
  EXPECT_CODE(db_->Prepare("SELEKT 1"), StatusCode::kInternal);
  EXPECT_CODE(db_->Prepare("SELECT 1; SELECT 2"), StatusCode::kInternal);
  EXPECT_CODE(db_->Prepare("   "), StatusCode::kInternal);
  ASSERT_OK_AND_ASSIGN(auto select, db_->Prepare("SELECT ?"));
  select.Bind(2, 1);  // out of range: kept and reported by Step
  EXPECT_CODE(select.Step(), StatusCode::kInternal);
}

TEST_F(SqliteConnectionTest, TransactionCommitsOnSuccess) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (i INTEGER)"));
  ASSERT_OK(db_->Transaction(TransactionMode::kImmediate,
                             [&] { return db_->Exec("INSERT INTO t (i) VALUES (1)"); }));
  EXPECT_EQ(QueryText(*db_, "SELECT COUNT(*) FROM t"), "1");
}

TEST_F(SqliteConnectionTest, TransactionRollsBackAndReturnsTheBodysError) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (i INTEGER)"));
  Status status = db_->Transaction(TransactionMode::kDeferred, [&]() -> Status {
    ENHANCER_RETURN_IF_ERROR(db_->Exec("INSERT INTO t (i) VALUES (1)"));
    return NotFoundError("product 42 does not exist");
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "product 42 does not exist");
  EXPECT_EQ(QueryText(*db_, "SELECT COUNT(*) FROM t"), "0");
  // The connection is usable again: no transaction was left open.
  ASSERT_OK(db_->Transaction(TransactionMode::kImmediate,
                             [&] { return db_->Exec("INSERT INTO t (i) VALUES (2)"); }));
}

TEST_F(SqliteConnectionTest, LockedPastTheBusyTimeoutIsUnavailable) {
  ASSERT_OK(db_->Exec("CREATE TABLE t (i INTEGER)"));
  SqliteOptions impatient;
  impatient.busy_timeout = std::chrono::milliseconds(20);
  ASSERT_OK_AND_ASSIGN(auto other, SqliteConnection::Open(dir_.File("test.db"), impatient));

  ASSERT_OK(db_->Exec("BEGIN IMMEDIATE"));
  EXPECT_CODE(other->Transaction(TransactionMode::kImmediate,
                                 [&] { return other->Exec("INSERT INTO t (i) VALUES (1)"); }),
              StatusCode::kUnavailable);
  EXPECT_CODE(other->Exec("INSERT INTO t (i) VALUES (1)"), StatusCode::kUnavailable);
  // WAL: a reader is not blocked by the writer.
  EXPECT_EQ(QueryText(*other, "SELECT COUNT(*) FROM t"), "0");
  ASSERT_OK(db_->Exec("COMMIT"));

  ASSERT_OK(other->Exec("INSERT INTO t (i) VALUES (1)"));
  EXPECT_EQ(QueryText(*db_, "SELECT COUNT(*) FROM t"), "1");
}

}  // namespace
}  // namespace enhancer
