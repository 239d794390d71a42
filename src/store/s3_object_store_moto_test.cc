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

namespace enhancer {
namespace {

using peers::MotoProcess;

constexpr char kRegion[] = "us-east-1";

AwsCredentials MotoCredentials() { return {"AKIDMOTOTEST", "moto-test-secret", "", {}, "test"}; }

// One moto_server for the whole test binary; each test gets buckets of its own.
class MotoEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    Result<std::unique_ptr<MotoProcess>> server = MotoProcess::Start(/*check_signatures=*/false);
    if (server) {
      server_ = *std::move(server);
    } else {
      start_error_ = server.error().ToString();
    }
  }
  void TearDown() override { server_.reset(); }

  static MotoProcess* server() { return instance_->server_.get(); }
  static const std::string& start_error() { return instance_->start_error_; }
  static MotoEnvironment* instance_;

 private:
  std::unique_ptr<MotoProcess> server_;
  std::string start_error_;
};
MotoEnvironment* MotoEnvironment::instance_ =
    static_cast<MotoEnvironment*>(::testing::AddGlobalTestEnvironment(new MotoEnvironment));

HttpClient& Http() {
  static std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  return *http;
}

std::string FreshBucket(std::string_view stem) {
  static std::atomic<int> next{0};
  return std::string(stem) + "-" + std::to_string(next.fetch_add(1));
}

Status CreateBucket(const std::string& bucket) {
  StaticCredentialsProvider credentials(MotoCredentials());
  AwsClient client(Http(), credentials, SigV4Options::ForService("s3", kRegion));
  HttpRequest request;
  request.method = "PUT";
  request.url = MotoEnvironment::server()->endpoint() + "/" + bucket;
  Result<HttpResponse> response = client.Send(request, {});
  if (!response) return response.error();
  if (response->status != 200) {
    return InternalError("creating bucket " + bucket + ": HTTP " +
                         std::to_string(response->status) + " " + response->body);
  }
  return OkStatus();
}

S3StoreOptions StoreOptions(const std::string& bucket) {
  S3StoreOptions options;
  options.bucket = bucket;
  options.region = kRegion;
  options.endpoint = MotoEnvironment::server()->endpoint();
  options.prefix = "enhancer";
  return options;
}

class MotoHarness final : public ObjectStoreHarness {
 public:
  static std::unique_ptr<ObjectStoreHarness> Make() {
    if (MotoEnvironment::server() == nullptr) {
      ADD_FAILURE() << "moto_server did not start: " << MotoEnvironment::start_error();
      return nullptr;
    }
    auto harness = std::make_unique<MotoHarness>();
    std::string bucket = FreshBucket("contract");
    if (Status created = CreateBucket(bucket); !created.ok()) {
      ADD_FAILURE() << created.ToString();
      return nullptr;
    }
    Result<std::unique_ptr<ObjectStore>> store =
        OpenS3ObjectStore(StoreOptions(bucket), Http(), harness->credentials_);
    if (!store) {
      ADD_FAILURE() << store.error().ToString();
      return nullptr;
    }
    harness->store_ = *std::move(store);
    return harness;
  }
  ObjectStore& store() override { return *store_; }

 private:
  StaticCredentialsProvider credentials_{MotoCredentials()};
  std::unique_ptr<ObjectStore> store_;
};

INSTANTIATE_TEST_SUITE_P(s3_moto, ObjectStoreContractTest,
                         ::testing::Values(ObjectStoreContractParam{"Moto", &MotoHarness::Make}),
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
