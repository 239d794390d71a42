#include "aws/caching_credentials_provider.h"

namespace enhancer {

CachingCredentialsProvider::CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> source,
                                                       const Clock& clock,
                                                       std::chrono::seconds refresh_before_expiry)
    : source_(std::move(source)), clock_(clock), refresh_before_expiry_(refresh_before_expiry) {}

Result<AwsCredentials> CachingCredentialsProvider::Get(std::stop_token stop) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_.Now();
  bool still_valid = cached_ && (!cached_->expiration || now < *cached_->expiration);
  if (cached_) {
    bool fresh = !cached_->expiration || now < *cached_->expiration - refresh_before_expiry_;
    bool backing_off = next_retry_ && now < *next_retry_;
    if (fresh || (still_valid && backing_off)) return *cached_;
  }
  Result<AwsCredentials> refreshed = source_->Get(stop);
  if (refreshed) {
    cached_ = *refreshed;
    next_retry_.reset();
    return refreshed;
  }
  if (still_valid && refreshed.error().code() != StatusCode::kCancelled) {
    next_retry_ = now + kRetryAfterFailedRefresh;
    return *cached_;
  }
  return refreshed.error();
}

}  // namespace enhancer
