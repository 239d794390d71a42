// PlannerWrapper: a Planner that forwards every call to another one. Derive from it and override
// only the calls to observe or to fail (leveldb's EnvWrapper), e.g. to inject faults in tests.
#pragma once

#include <utility>

#include "plan/planner.h"

namespace enhancer {

class PlannerWrapper : public Planner {
 public:
  // `target` is not owned and must outlive the wrapper.
  explicit PlannerWrapper(Planner& target) : target_(target) {}

  Result<Plan> MakePlan(const PlanRequest& request, std::stop_token stop) override {
    return target_.MakePlan(request, std::move(stop));
  }

  Planner& target() const { return target_; }

 private:
  Planner& target_;
};

}  // namespace enhancer
