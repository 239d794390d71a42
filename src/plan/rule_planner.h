// RulePlanner: the built-in local planner. It measures the photo (levels, colour cast, exposure,
// sharpness, noise, background) and proposes a faithful correction followed by distinct looks a
// shop might choose from, each with a prompt written for this photo.
#pragma once

#include <stop_token>

#include "plan/planner.h"

namespace enhancer {

class RulePlanner final : public Planner {
 public:
  // Deterministic: the same preview and count give the same plan. Thread-safe (no state).
  // Errors: InvalidArgument (no preview, pixels that do not match its size, count outside
  // 1-10); Cancelled when `stop` is already requested.
  Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) override;
};

}  // namespace enhancer
