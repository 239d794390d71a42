#include "db/postgres_connection_pool.h"

#include <utility>

namespace enhancer {

PostgresConnectionPool::PostgresConnectionPool(PostgresTarget target, int max_connections)
    : target_(std::move(target)), max_connections_(max_connections < 1 ? 1 : max_connections) {}

Result<std::unique_ptr<PostgresConnection>> PostgresConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<PostgresConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      const bool alive = connection->LooksAlive();  // no round trip: fine to do unlocked
      if (alive) return connection;
      connection.reset();
      lock.lock();
      --open_;
    }
    if (open_ < max_connections_) break;
    slot_freed_.wait(lock);
  }
  ++open_;
  lock.unlock();

  Result<std::unique_ptr<PostgresConnection>> opened = PostgresConnection::Open(target_);
  lock.lock();
  if (!opened) {
    --open_;
    slot_freed_.notify_one();
    return opened.error();
  }
  ++opened_;
  return opened;
}

void PostgresConnectionPool::Release(std::unique_ptr<PostgresConnection> connection) {
  std::vector<std::unique_ptr<PostgresConnection>> dropped;
  {
    std::lock_guard lock(mu_);
    if (connection->broken()) {
      dropped.swap(idle_);
      open_ -= 1 + static_cast<int>(dropped.size());
      dropped.push_back(std::move(connection));
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  slot_freed_.notify_all();
  // `dropped` closes its sessions here, outside the lock.
}

Status PostgresConnectionPool::Run(const std::function<Status(PostgresConnection&)>& work) {
  constexpr int kAttempts = 2;
  Status status;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    Result<std::unique_ptr<PostgresConnection>> connection = Acquire();
    if (!connection) return connection.error();
    status = work(**connection);
    const bool retry = status.code() == StatusCode::kUnavailable && (*connection)->broken() &&
                       !(*connection)->commit_in_doubt();
    Release(std::move(*connection));
    if (!retry) break;
  }
  return status;
}

Status PostgresConnectionPool::Warm() {
  Result<std::unique_ptr<PostgresConnection>> connection = Acquire();
  if (!connection) return connection.error();
  Release(std::move(*connection));
  return OkStatus();
}

int64_t PostgresConnectionPool::connections_opened() const {
  std::lock_guard lock(mu_);
  return opened_;
}

int PostgresConnectionPool::connections_open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace enhancer
