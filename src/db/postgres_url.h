// PostgresTarget: the server and database a postgres:// URL names, parsed as libpq parses it,
// with the password kept out of every description.
//
// DATABASE_URL takes the usual form, postgres://USER:PASSWORD@HOST:PORT/DATABASE?PARAM=VALUE
// (or postgresql://), with libpq's parameters (sslmode, connect_timeout, ...). Parts left out
// fall back to libpq's defaults (PGHOST, PGPORT, ... and the local socket).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

// A connection that cannot be made within this time fails with Unavailable, unless the URL sets
// its own connect_timeout.
inline constexpr int kDefaultPostgresConnectTimeoutSeconds = 10;

class PostgresTarget {
 public:
  // The libpq keyword=value string to connect with. It holds the password: never log it.
  const std::string& conninfo() const { return conninfo_; }

  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  const std::string& database() const { return database_; }
  const std::string& user() const { return user_; }

  // Names the server and database for messages: `127.0.0.1:5432, database "shop"`.
  std::string Describe() const;

  // `text` with the password, as written in the URL and as decoded, replaced by "***": for
  // messages that quote libpq, which could echo what it was given.
  std::string Redact(std::string_view text) const;

 private:
  friend Result<PostgresTarget> ParsePostgresUrl(const std::string& url);

  std::string conninfo_;
  std::string host_;
  std::string port_;
  std::string database_;
  std::string user_;
  std::string password_;      // decoded
  std::string raw_password_;  // as written in the URL, %-escapes and all
};

// InvalidArgument when `url` is not a postgres:// or postgresql:// URL libpq accepts; the message
// never contains the password.
Result<PostgresTarget> ParsePostgresUrl(const std::string& url);

}  // namespace enhancer
