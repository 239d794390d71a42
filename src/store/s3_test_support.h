// Test-only: what the S3 store's tests on real servers (s3rver, moto) share: one server per test
// binary, buckets of their own, and a store on a fresh bucket for the ObjectStore contract.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "store/object_store_contract_test.h"
#include "store/s3_object_store.h"

namespace enhancer::s3_test {

inline constexpr char kRegion[] = "us-east-1";

// One server of type Process for the whole test binary, started before the first test and
// stopped (by pid, the process's destructor) after the last. Register() once per binary.
template <typename Process>
class ServerEnvironment final : public ::testing::Environment {
 public:
  using Start = std::function<Result<std::unique_ptr<Process>>()>;

  static ServerEnvironment* Register(Start start) {
    instance_ = new ServerEnvironment(std::move(start));
    ::testing::AddGlobalTestEnvironment(instance_);  // owns it
    return instance_;
  }
  static Process* server() { return instance_->server_.get(); }
  static const std::string& start_error() { return instance_->start_error_; }

  void SetUp() override {
    Result<std::unique_ptr<Process>> server = start_();
    if (server) {
      server_ = *std::move(server);
    } else {
      start_error_ = server.error().ToString();
    }
  }
  void TearDown() override { server_.reset(); }

 private:
  explicit ServerEnvironment(Start start) : start_(std::move(start)) {}

  static inline ServerEnvironment* instance_ = nullptr;
  Start start_;
  std::unique_ptr<Process> server_;
  std::string start_error_;
};

inline HttpClient& Http() {
  static std::unique_ptr<HttpClient> http = MakeCurlHttpClient();
  return *http;
}

// A bucket name no other test of this run uses.
inline std::string FreshBucket(std::string_view stem) {
  static std::atomic<int> next{0};
  return std::string(stem) + "-" + std::to_string(next.fetch_add(1));
}

// Creates `bucket` with a signed "PUT /bucket" (not "/bucket/": s3rver's signature bug).
inline Status CreateBucket(const std::string& endpoint, const std::string& bucket,
                           const AwsCredentials& credentials) {
  StaticCredentialsProvider provider(credentials);
  AwsClient client(Http(), provider, SigV4Options::ForService("s3", kRegion));
  HttpRequest request;
  request.method = "PUT";
  request.url = endpoint + "/" + bucket;
  Result<HttpResponse> response = client.Send(request, {});
  if (!response) return response.error();
  if (response->status != 200) {
    return InternalError("creating bucket " + bucket + ": HTTP " +
                         std::to_string(response->status) + " " + response->body);
  }
  return OkStatus();
}

inline S3StoreOptions StoreOptions(const std::string& endpoint, const std::string& bucket,
                                   std::string prefix) {
  S3StoreOptions options;
  options.bucket = bucket;
  options.region = kRegion;
  options.endpoint = endpoint;
  options.prefix = std::move(prefix);
  return options;
}

// The ObjectStore contract's harness: a store on a fresh bucket of `endpoint`; null (and a test
// failure) when the bucket or the store cannot be made.
inline std::unique_ptr<ObjectStoreHarness> MakeHarness(const std::string& endpoint,
                                                       const AwsCredentials& credentials,
                                                       std::string prefix) {
  class Harness final : public ObjectStoreHarness {
   public:
    explicit Harness(const AwsCredentials& credentials) : credentials_(credentials) {}
    ObjectStore& store() override { return *store_; }
    StaticCredentialsProvider credentials_;
    std::unique_ptr<ObjectStore> store_;
  };
  auto harness = std::make_unique<Harness>(credentials);
  const std::string bucket = FreshBucket("contract");
  if (Status created = CreateBucket(endpoint, bucket, credentials); !created.ok()) {
    ADD_FAILURE() << created.ToString();
    return nullptr;
  }
  Result<std::unique_ptr<ObjectStore>> store =
      OpenS3ObjectStore(StoreOptions(endpoint, bucket, std::move(prefix)), Http(),
                        harness->credentials_);
  if (!store) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  harness->store_ = *std::move(store);
  return harness;
}

}  // namespace enhancer::s3_test
