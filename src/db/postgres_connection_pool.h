// PostgresConnectionPool: a few PostgreSQL sessions shared by the threads of one process, each
// lent to one caller at a time and replaced when the server drops it.
//
// A session lost before COMMIT (the server restarted, an administrator terminated the backend, a
// failover) rolled its transaction back, so the pool runs that work once more on a new session:
// the caller sees the failure only when the server is still unreachable. A session lost during
// COMMIT leaves the outcome unknown and is reported as Unavailable, never retried here.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/status.h"
#include "db/postgres_connection.h"
#include "db/postgres_url.h"

namespace enhancer {

class PostgresConnectionPool {
 public:
  // Opens connections on demand, at most `max_connections` (>= 1) at a time.
  PostgresConnectionPool(PostgresTarget target, int max_connections);

  // Runs `work` on a session no other caller is using, waiting while all `max_connections` are
  // busy. `work` must be one transaction, or otherwise safe to run again after a rollback: it is
  // run a second time when the first run lost its session before COMMIT. Returns what `work`
  // returned; Unavailable when no session can be opened.
  Status Run(const std::function<Status(PostgresConnection&)>& work);

  // Opens a session now unless one is idle: a wrong URL or a server that is down shows at once.
  Status Warm();

  // Sessions opened since construction (replacements included) and sessions open now.
  int64_t connections_opened() const;
  int connections_open() const;

  const PostgresTarget& target() const { return target_; }

 private:
  // A healthy idle session, or a new one.
  Result<std::unique_ptr<PostgresConnection>> Acquire();
  // Keeps a healthy session for the next caller; drops a broken one and, since one lost session
  // usually means all were (a restart, a failover), every idle one with it.
  void Release(std::unique_ptr<PostgresConnection> connection);

  const PostgresTarget target_;
  const int max_connections_;

  mutable std::mutex mu_;
  std::condition_variable slot_freed_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;  // guarded by mu_
  int open_ = 0;                                           // guarded by mu_; idle and lent
  int64_t opened_ = 0;                                     // guarded by mu_
};

}  // namespace enhancer
