// CachingCredentialsProvider: keeps the credentials another provider found, and asks it again
// only when they come close to expiring, so the endpoints are called once per rotation rather
// than once per request.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "aws/credentials_provider.h"
#include "core/clock.h"

namespace enhancer {

class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  // Temporary credentials are refreshed once `now >= expiration - refresh_before_expiry`: a
  // request signed just before the refresh still has that long to complete. `clock` must
  // outlive the provider.
  static constexpr std::chrono::minutes kDefaultRefreshBeforeExpiry{5};
  // After a failed refresh, the still-valid cached credentials are served for this long before
  // the source is asked again, so a failing endpoint is not called on every request.
  static constexpr std::chrono::seconds kRetryAfterFailedRefresh{30};

  CachingCredentialsProvider(
      std::unique_ptr<CredentialsProvider> source, const Clock& clock,
      std::chrono::seconds refresh_before_expiry = kDefaultRefreshBeforeExpiry);

  // The cached credentials while they are fresh. Otherwise the source's; if the source fails
  // and the cached credentials have not yet expired, those (the refresh is tried again after
  // kRetryAfterFailedRefresh); else the source's error. Credentials without an expiration are
  // kept for good. Thread-safe: concurrent callers wait for one refresh.
  Result<AwsCredentials> Get(std::stop_token stop) override;

 private:
  const std::unique_ptr<CredentialsProvider> source_;
  const Clock& clock_;
  const std::chrono::seconds refresh_before_expiry_;

  std::mutex mu_;
  std::optional<AwsCredentials> cached_;  // guarded by mu_
  std::optional<TimePoint> next_retry_;   // guarded by mu_; set after a failed refresh
};

}  // namespace enhancer
