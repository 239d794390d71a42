// S3ObjectStore against moto_server (plain mode: it routes by the signature's scope but checks
// no signature), a second S3 implementation next to s3rver: the ObjectStore contract, the
// start-up check, a missing bucket. The test starts it on 127.0.0.1 and stops it by pid.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "aws/aws_client.h"
#include "core/status_matchers.h"
#include "peers/moto_process.h"
#include "store/object_store_contract_test.h"
#include "store/s3_object_store.h"
#include "store/s3_test_support.h"

namespace enhancer {
namespace {

using peers::MotoProcess;

using s3_test::FreshBucket;
using s3_test::Http;
using s3_test::kRegion;

AwsCredentials MotoCredentials() { return {"AKIDMOTOTEST", "moto-test-secret", "", {}, "test"}; }

// One moto_server for the whole test binary; each test gets buckets of its own.
using MotoEnvironment = s3_test::ServerEnvironment<MotoProcess>;
const auto* const kMoto = MotoEnvironment::Register(
    [] { return MotoProcess::Start(/*check_signatures=*/false); });

Status CreateBucket(const std::string& bucket) {
  return s3_test::CreateBucket(MotoEnvironment::server()->endpoint(), bucket, MotoCredentials());
}

S3StoreOptions StoreOptions(const std::string& bucket) {
  return s3_test::StoreOptions(MotoEnvironment::server()->endpoint(), bucket, "enhancer");
}

std::unique_ptr<ObjectStoreHarness> MakeMotoHarness() {
  if (MotoEnvironment::server() == nullptr) {
    ADD_FAILURE() << "moto_server did not start: " << MotoEnvironment::start_error();
    return nullptr;
  }
  return s3_test::MakeHarness(MotoEnvironment::server()->endpoint(), MotoCredentials(), "enhancer");
}

INSTANTIATE_TEST_SUITE_P(s3_moto, ObjectStoreContractTest,
                         ::testing::Values(ObjectStoreContractParam{"Moto", &MakeMotoHarness}),
                         ObjectStoreContractParam::Name);

class S3MotoStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(MotoEnvironment::server(), nullptr)
        << "moto_server did not start: " << MotoEnvironment::start_error();
  }
  std::unique_ptr<S3ObjectStore> Open(const std::string& bucket) {
    Result<std::unique_ptr<S3ObjectStore>> store =
        S3ObjectStore::Open(StoreOptions(bucket), Http(), credentials_);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store.has_value() ? *std::move(store) : nullptr;
  }

  StaticCredentialsProvider credentials_{MotoCredentials()};
};

TEST_F(S3MotoStoreTest, CheckBucketAccessAndHeadWorkOnAnExistingBucket) {
  const std::string bucket = FreshBucket("moto-test");
  ASSERT_OK(CreateBucket(bucket));
  auto store = Open(bucket);
  ASSERT_NE(store, nullptr);
  EXPECT_OK(store->CheckBucketAccess({}));
  ASSERT_OK(store->Put("p/1.jpg", "moto bytes", "image/jpeg"));
  Result<S3ObjectHead> head = store->Head("p/1.jpg");
  ASSERT_OK(head);
  EXPECT_EQ(head->size, 10u);
  EXPECT_EQ(head->content_type, "image/jpeg");
  EXPECT_EQ(head->cache_control, "public, max-age=31536000, immutable");
}

TEST_F(S3MotoStoreTest, AMissingBucketIsNotFoundAtStartUpAndFailedPreconditionForObjects) {
  auto store = Open("never-created");
  ASSERT_NE(store, nullptr);
  Status check = store->CheckBucketAccess({});
  EXPECT_EQ(check.code(), StatusCode::kNotFound) << check.ToString();
  EXPECT_NE(check.message().find("bucket \"never-created\" does not exist"), std::string::npos)
      << check.message();
  EXPECT_CODE(store->Put("a.jpg", "x", "image/jpeg"), StatusCode::kFailedPrecondition);
  EXPECT_CODE(store->Get("a.jpg"), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace enhancer
