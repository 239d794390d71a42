#include "service/readiness.h"

namespace enhancer {

ReadinessReport CheckReadiness(Repository& repository, Queue& queue, ObjectStore& store) {
  ReadinessReport report;
  auto add = [&report](std::string name, const Status& status) {
    report.checks.push_back({std::move(name), status.ok(), status.ok() ? "" : status.ToString()});
  };
  add("database", repository.CountByStatus().error());
  add("queue", queue.Stats().error());
  Result<std::string> probe = store.Get("readyz/probe");
  add("store", probe.error().code() == StatusCode::kNotFound ? OkStatus() : probe.error());
  report.ok = true;
  for (const ReadinessCheck& check : report.checks) report.ok = report.ok && check.ok;
  return report;
}

}  // namespace enhancer
