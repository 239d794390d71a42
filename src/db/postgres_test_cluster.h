// PostgresTestCluster: a throwaway PostgreSQL 15 server for tests, in a temporary folder,
// listening on 127.0.0.1 at a free port, with fsync off. Test-only.
//
// One is started per test binary by a GoogleTest global environment (see
// SharedPostgresCluster()); each test makes its own database in it. Logins over TCP need the
// superuser's password (scram-sha-256), as a real server's would.
//
// The server binaries come from Debian's postgresql-15 (scripts/install-deps installs it); when
// they are missing the environment fails every test with a message saying so.
// ENHANCER_POSTGRES_BIN_DIR overrides where they are looked for.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace enhancer {

class PostgresTestCluster {
 public:
  static constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";
  static constexpr char kSuperuser[] = "postgres";

  // initdb, then start. FailedPrecondition when the server binaries are missing; Internal when
  // initdb or the server fails (the message quotes their log).
  static Result<std::unique_ptr<PostgresTestCluster>> Start();

  // Stops the server (by its pid file, through pg_ctl) and removes the folder.
  ~PostgresTestCluster();
  PostgresTestCluster(const PostgresTestCluster&) = delete;
  PostgresTestCluster& operator=(const PostgresTestCluster&) = delete;

  // pg_ctl stop -m fast: every session is closed. StartAgain() starts it on the same port.
  Status Stop();
  Status StartAgain();
  // pg_ctl restart -m fast: what a server upgrade or failover looks like to clients.
  Status Restart();

  int port() const { return port_; }
  const std::string& password() const { return password_; }

  // postgresql://postgres:PASSWORD@127.0.0.1:PORT/DATABASE
  std::string Url(const std::string& database) const;

  // A new, empty database with a name no other test uses.
  Result<std::string> CreateDatabase();
  // Drops it, closing its sessions.
  Status DropDatabase(const std::string& name);

 private:
  PostgresTestCluster() = default;

  // Runs a server binary (as the postgres user when this process is root), output to the log.
  Status RunTool(const std::string& tool, const std::vector<std::string>& args);
  Status StartServer();
  std::string LogTail() const;

  std::filesystem::path bin_dir_;
  std::filesystem::path dir_;  // holds data/, the socket, the logs
  int port_ = 0;
  std::string password_;
  bool running_ = false;
  std::atomic<int> next_database_{1};
};

// The cluster of this test binary, started once before the first test; nullptr when it could not
// start (SharedPostgresClusterError() says why).
PostgresTestCluster* SharedPostgresCluster();
const std::string& SharedPostgresClusterError();

// A new database in the shared cluster for one test, dropped (sessions and all) when it goes.
class ScopedPostgresDatabase {
 public:
  ScopedPostgresDatabase();
  ~ScopedPostgresDatabase();
  ScopedPostgresDatabase(const ScopedPostgresDatabase&) = delete;
  ScopedPostgresDatabase& operator=(const ScopedPostgresDatabase&) = delete;

  // Why there is no database (the cluster did not start, CREATE DATABASE failed); OK otherwise.
  const Status& status() const { return status_; }
  const std::string& name() const { return name_; }
  // With the superuser's password, as DATABASE_URL would be.
  std::string url() const;

 private:
  PostgresTestCluster* cluster_ = nullptr;
  Status status_;
  std::string name_;
};

}  // namespace enhancer
