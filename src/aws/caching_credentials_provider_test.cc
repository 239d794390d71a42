#include "aws/caching_credentials_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Hands out numbered credentials that expire `lifetime` after the clock's now, or the error
// it is told to return.
class CountingSource final : public CredentialsProvider {
 public:
  CountingSource(const Clock& clock, std::optional<std::chrono::seconds> lifetime)
      : clock_(clock), lifetime_(lifetime) {}
  Result<AwsCredentials> Get(std::stop_token) override {
    int n = ++calls;
    if (!fail_with.ok()) return fail_with;
    AwsCredentials c{"ASIA" + std::to_string(n), "secret", "token", std::nullopt, "test"};
    if (lifetime_) c.expiration = clock_.Now() + *lifetime_;
    return c;
  }
  std::atomic<int> calls{0};
  Status fail_with;

 private:
  const Clock& clock_;
  std::optional<std::chrono::seconds> lifetime_;
};

TEST(CachingCredentialsProviderTest, KeepsCredentialsThatDoNotExpire) {
  FakeClock clock;
  auto source = std::make_unique<CountingSource>(clock, std::nullopt);
  CountingSource* counter = source.get();
  CachingCredentialsProvider cache(std::move(source), clock);
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(AwsCredentials c, cache.Get({}));
    EXPECT_EQ(c.access_key_id, "ASIA1");
    clock.Advance(std::chrono::hours(24 * 365));
  }
  EXPECT_EQ(counter->calls.load(), 1);
}

TEST(CachingCredentialsProviderTest, RefreshesFiveMinutesBeforeExpiry) {
  FakeClock clock;
  auto source = std::make_unique<CountingSource>(clock, minutes(60));
  CountingSource* counter = source.get();
  CachingCredentialsProvider cache(std::move(source), clock);

  ASSERT_OK_AND_ASSIGN(AwsCredentials first, cache.Get({}));
  EXPECT_EQ(first.access_key_id, "ASIA1");
  clock.Advance(minutes(54) + seconds(59));  // 5 min 1 s left: still served from the cache
  ASSERT_OK_AND_ASSIGN(AwsCredentials cached, cache.Get({}));
  EXPECT_EQ(cached.access_key_id, "ASIA1");
  EXPECT_EQ(counter->calls.load(), 1);

  clock.Advance(seconds(1));  // exactly 5 min left: refreshed, before the old ones expire
  ASSERT_OK_AND_ASSIGN(AwsCredentials refreshed, cache.Get({}));
  EXPECT_EQ(refreshed.access_key_id, "ASIA2");
  EXPECT_GT(*refreshed.expiration, *first.expiration);
  EXPECT_EQ(counter->calls.load(), 2);
}

TEST(CachingCredentialsProviderTest, ServesValidCredentialsWhileARefreshFails) {
  FakeClock clock;
  auto source = std::make_unique<CountingSource>(clock, minutes(60));
  CountingSource* counter = source.get();
  CachingCredentialsProvider cache(std::move(source), clock);
  ASSERT_OK(cache.Get({}));

  clock.Advance(minutes(56));  // in the refresh window, 4 minutes of validity left
  counter->fail_with = UnavailableError("endpoint down");
  ASSERT_OK_AND_ASSIGN(AwsCredentials kept, cache.Get({}));
  EXPECT_EQ(kept.access_key_id, "ASIA1");
  EXPECT_EQ(counter->calls.load(), 2);

  clock.Advance(seconds(10));  // within the back-off: the source is left alone
  ASSERT_OK(cache.Get({}));
  EXPECT_EQ(counter->calls.load(), 2);

  clock.Advance(CachingCredentialsProvider::kRetryAfterFailedRefresh);  // asked again
  ASSERT_OK(cache.Get({}));
  EXPECT_EQ(counter->calls.load(), 3);

  clock.Advance(minutes(5));  // expired now: the error comes through
  EXPECT_CODE(cache.Get({}), StatusCode::kUnavailable);

  counter->fail_with = OkStatus();
  ASSERT_OK_AND_ASSIGN(AwsCredentials recovered, cache.Get({}));
  EXPECT_EQ(recovered.access_key_id, "ASIA5");
}

TEST(CachingCredentialsProviderTest, FirstFailureIsReturned) {
  FakeClock clock;
  auto source = std::make_unique<CountingSource>(clock, minutes(60));
  source->fail_with = FailedPreconditionError("no credentials");
  CachingCredentialsProvider cache(std::move(source), clock);
  EXPECT_CODE(cache.Get({}), StatusCode::kFailedPrecondition);
}

TEST(CachingCredentialsProviderTest, ConcurrentCallersShareOneFetch) {
  FakeClock clock;
  auto source = std::make_unique<CountingSource>(clock, minutes(60));
  CountingSource* counter = source.get();
  CachingCredentialsProvider cache(std::move(source), clock);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache.Get({})) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(counter->calls.load(), 1);
}

}  // namespace
}  // namespace enhancer
