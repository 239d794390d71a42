// Readiness: whether the parts the service depends on answer now (GET /readyz).
#pragma once

#include <string>
#include <vector>

#include "db/repository.h"
#include "queue/queue.h"
#include "store/object_store.h"

namespace enhancer {

struct ReadinessCheck {
  std::string name;  // "database", "queue", "store"
  bool ok = false;
  std::string error;  // why not, when not ok
};

struct ReadinessReport {
  bool ok = false;  // every check ok
  std::vector<ReadinessCheck> checks;
};

// One cheap call to each: the database counts products, the queue reports its depth, the store
// looks up a key that need not exist (NotFound is an answer).
ReadinessReport CheckReadiness(Repository& repository, Queue& queue, ObjectStore& store);

}  // namespace enhancer
