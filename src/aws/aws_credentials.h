// AwsCredentials: the keys that sign AWS requests, and where they came from.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"

namespace enhancer {

struct AwsCredentials {
  std::string access_key_id;      // "AKIA…" / "ASIA…": not secret, fine in logs
  std::string secret_access_key;  // secret: never log, never put in a Status
  std::string session_token;      // secret; empty for long-term keys
  // When temporary credentials stop working; empty for keys that do not expire.
  std::optional<TimePoint> expiration;
  // Which provider found them ("environment", "profile default", "container", "instance
  // metadata", ...), for a start-up log line.
  std::string source;
};

}  // namespace enhancer
