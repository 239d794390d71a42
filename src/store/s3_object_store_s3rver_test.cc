// S3ObjectStore against real S3 servers that the test starts on 127.0.0.1 and stops by pid:
// @20minutes/s3rver 5, which checks SigV4 signatures on headers and on presigned URLs, runs the
// ObjectStore contract, presigned GETs, wrong credentials; the aws CLI reads what the store wrote
// (and the other way round), as the seed's workflow did with `aws s3 ls` and `aws s3 cp`.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "aws/aws_client.h"
#include "core/status_matchers.h"
#include "peers/peer_process.h"
#include "peers/s3rver_process.h"
#include "store/object_store_contract_test.h"
#include "store/s3_object_store.h"
#include "store/s3_test_support.h"

namespace enhancer {
namespace {

using peers::PeerProcess;
using peers::PeerTempDir;
using peers::S3rverProcess;

using s3_test::FreshBucket;
using s3_test::Http;
using s3_test::kRegion;

constexpr char kPrefix[] = "enhancer/";

AwsCredentials S3rverCredentials(std::string secret = S3rverProcess::kSecretAccessKey) {
  return {S3rverProcess::kAccessKeyId, std::move(secret), "", std::nullopt, "test"};
}

// One s3rver for the whole test binary; each test gets buckets of its own.
using S3rverEnvironment = s3_test::ServerEnvironment<S3rverProcess>;
const auto* const kS3rver = S3rverEnvironment::Register([] { return S3rverProcess::Start(); });

Status CreateBucket(const std::string& endpoint, const std::string& bucket) {
  return s3_test::CreateBucket(endpoint, bucket, S3rverCredentials());
}

S3StoreOptions StoreOptions(const std::string& bucket) {
  return s3_test::StoreOptions(S3rverEnvironment::server()->endpoint(), bucket, kPrefix);
}

std::unique_ptr<ObjectStoreHarness> MakeS3rverHarness() {
  if (S3rverEnvironment::server() == nullptr) {
    ADD_FAILURE() << "s3rver did not start: " << S3rverEnvironment::start_error();
    return nullptr;
  }
  return s3_test::MakeHarness(S3rverEnvironment::server()->endpoint(), S3rverCredentials(),
                              kPrefix);
}

INSTANTIATE_TEST_SUITE_P(s3rver, ObjectStoreContractTest,
                         ::testing::Values(ObjectStoreContractParam{"S3rver", &MakeS3rverHarness}),
                         ObjectStoreContractParam::Name);

// Tests of what only S3 does: signatures, presigned URLs, the start-up check, other clients.
class S3rverStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(S3rverEnvironment::server(), nullptr)
        << "s3rver did not start: " << S3rverEnvironment::start_error();
    bucket_ = FreshBucket("s3rver-test");
    ASSERT_OK(CreateBucket(endpoint(), bucket_));
  }

  std::unique_ptr<S3ObjectStore> Open(const S3StoreOptions& options,
                                      CredentialsProvider& credentials) {
    Result<std::unique_ptr<S3ObjectStore>> store =
        S3ObjectStore::Open(options, Http(), credentials);
    EXPECT_TRUE(store.has_value()) << store.error().ToString();
    return store.has_value() ? *std::move(store) : nullptr;
  }
  std::unique_ptr<S3ObjectStore> Open() { return Open(StoreOptions(bucket_), credentials_); }

  // A plain, unsigned GET, as a browser would load the URL.
  static Result<HttpResponse> PlainGet(const std::string& url) {
    HttpRequest request;
    request.url = url;
    return Http().Send(request, {});
  }

  static std::string endpoint() { return S3rverEnvironment::server()->endpoint(); }

  std::string bucket_;
  StaticCredentialsProvider credentials_{S3rverCredentials()};
};

TEST_F(S3rverStoreTest, CheckBucketAccessPassesForTheBucket) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_OK(store->CheckBucketAccess({}));
}

TEST_F(S3rverStoreTest, CheckBucketAccessOfAMissingBucketIsNotFound) {
  auto store = Open(StoreOptions("never-created"), credentials_);
  ASSERT_NE(store, nullptr);
  Status status = store->CheckBucketAccess({});
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status.ToString();
  EXPECT_NE(status.message().find("bucket \"never-created\" does not exist"), std::string::npos)
      << status.message();
  // Objects of a missing bucket: a configuration to fix, not a missing object.
  EXPECT_CODE(store->Put("a.jpg", "x", "image/jpeg"), StatusCode::kFailedPrecondition);
  EXPECT_CODE(store->Get("a.jpg"), StatusCode::kFailedPrecondition);
}

TEST_F(S3rverStoreTest, AWrongSecretIsFailedPreconditionWithoutTheSecret) {
  const std::string kWrongSecret = "not-the-S3RVER-secret";
  StaticCredentialsProvider wrong(S3rverCredentials(kWrongSecret));
  auto store = Open(StoreOptions(bucket_), wrong);
  ASSERT_NE(store, nullptr);

  Status check = store->CheckBucketAccess({});
  EXPECT_EQ(check.code(), StatusCode::kFailedPrecondition) << check.ToString();
  EXPECT_NE(check.message().find("SignatureDoesNotMatch"), std::string::npos) << check.message();
  EXPECT_NE(check.message().find("access key id S3RVER"), std::string::npos) << check.message();
  EXPECT_EQ(check.message().find(kWrongSecret), std::string::npos);

  Status put = store->Put("a.jpg", "bytes", "image/jpeg");
  EXPECT_EQ(put.code(), StatusCode::kFailedPrecondition) << put.ToString();
  EXPECT_EQ(put.message().find(kWrongSecret), std::string::npos);
  EXPECT_CODE(store->Get("a.jpg"), StatusCode::kFailedPrecondition);
}

TEST_F(S3rverStoreTest, HeadReportsWhatPutStored) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("products/1/h/1-base.jpg", "twelve bytes", "image/jpeg"));
  Result<S3ObjectHead> head = store->Head("products/1/h/1-base.jpg");
  ASSERT_OK(head);
  EXPECT_EQ(head->size, 12u);
  EXPECT_EQ(head->content_type, "image/jpeg");
  EXPECT_EQ(head->cache_control, "public, max-age=31536000, immutable");
  EXPECT_FALSE(head->etag.empty());
  EXPECT_CODE(store->Head("products/1/h/missing.jpg"), StatusCode::kNotFound);
}

TEST_F(S3rverStoreTest, ContentMd5IsAcceptedWhenSent) {
  S3StoreOptions options = StoreOptions(bucket_);
  options.content_md5 = true;
  auto store = Open(options, credentials_);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("md5.bin", "checked bytes", "application/octet-stream"));
  EXPECT_EQ(store->Get("md5.bin").value(), "checked bytes");
}

TEST_F(S3rverStoreTest, APresignedUrlServesTheObjectToAPlainGet) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const std::string bytes("\xff\xd8\xff\xe0 presigned \x00 bytes", 24);
  ASSERT_OK(store->Put("products/2/h/1-base.jpg", bytes, "image/jpeg"));

  std::string url = store->PublicUrl("products/2/h/1-base.jpg");
  ASSERT_NE(url.find("X-Amz-Signature="), std::string::npos) << url;
  ASSERT_OK_AND_ASSIGN(HttpResponse response, PlainGet(url));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, bytes);
  EXPECT_EQ(response.Header("content-type"), "image/jpeg");
}

TEST_F(S3rverStoreTest, ATamperedPresignedUrlIsSignatureDoesNotMatch) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("products/3/h/1-base.jpg", "one", "image/jpeg"));
  ASSERT_OK(store->Put("products/3/h/2-warm.jpg", "two", "image/jpeg"));
  const std::string url = store->PublicUrl("products/3/h/1-base.jpg");

  std::string wrong_signature = url;
  char& last = wrong_signature.back();
  last = last == '0' ? '1' : '0';
  std::string other_key = url;
  size_t at = other_key.find("1-base.jpg");
  ASSERT_NE(at, std::string::npos);
  other_key.replace(at, 10, "2-warm.jpg");

  for (const std::string& tampered : {wrong_signature, other_key}) {
    SCOPED_TRACE(tampered);
    ASSERT_OK_AND_ASSIGN(HttpResponse response, PlainGet(tampered));
    EXPECT_EQ(response.status, 403);
    EXPECT_NE(response.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos)
        << response.body;
  }
}

TEST_F(S3rverStoreTest, AnExpiredPresignedUrlIsAccessDenied) {
  S3StoreOptions options = StoreOptions(bucket_);
  options.presign_expiry = std::chrono::seconds(1);
  auto store = Open(options, credentials_);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("short-lived.jpg", "bytes", "image/jpeg"));
  const std::string url = store->PublicUrl("short-lived.jpg");
  ASSERT_NE(url.find("X-Amz-Expires=1&"), std::string::npos) << url;
  // The server compares its own wall clock with the URL's X-Amz-Date (whole seconds), so only a
  // real wait can expire the URL; 2 s is past 1 s whatever the rounding.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_OK_AND_ASSIGN(HttpResponse response, PlainGet(url));
  EXPECT_EQ(response.status, 403);
  EXPECT_NE(response.body.find("<Code>AccessDenied</Code>"), std::string::npos) << response.body;
}

TEST_F(S3rverStoreTest, APublicBaseUrlIsUsedAsGiven) {
  S3StoreOptions options = StoreOptions(bucket_);
  options.public_base_url = endpoint() + "/" + bucket_;
  auto store = Open(options, credentials_);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->PublicUrl("a/b.jpg"), endpoint() + "/" + bucket_ + "/" + kPrefix + "a/b.jpg");
}

// The aws CLI as the seed's operators used it, with s3rver's keys and no other configuration.
class AwsCli {
 public:
  explicit AwsCli(std::string endpoint) : endpoint_(std::move(endpoint)), dir_("aws_cli") {}

  // Runs `aws <args> --endpoint-url <endpoint>`; returns what it printed (stdout and stderr)
  // when it exits 0.
  Result<std::string> Run(std::vector<std::string> args) {
    args.insert(args.begin(), "aws");
    args.push_back("--endpoint-url");
    args.push_back(endpoint_);
    std::string log = dir_.path() + "/aws.log";
    Result<std::unique_ptr<PeerProcess>> process = PeerProcess::Start(
        args,
        {{"AWS_ACCESS_KEY_ID", S3rverProcess::kAccessKeyId},
         {"AWS_SECRET_ACCESS_KEY", S3rverProcess::kSecretAccessKey},
         {"AWS_DEFAULT_REGION", kRegion},
         {"AWS_REGION", kRegion},
         // Nothing from the machine's own configuration.
         {"AWS_CONFIG_FILE", dir_.path() + "/config"},
         {"AWS_SHARED_CREDENTIALS_FILE", dir_.path() + "/credentials"},
         {"AWS_PAGER", ""}},
        log);
    if (!process) return process.error().WithContext("the aws CLI (pip's awscli) is needed");
    Result<int> code = (*process)->Wait(std::chrono::seconds(120));
    if (!code) return code.error();
    if (*code != 0) {
      return InternalError("aws exited with " + std::to_string(*code) + ": " + (*process)->Log());
    }
    return (*process)->Log();
  }
  const std::string& dir() const { return dir_.path(); }

 private:
  std::string endpoint_;
  PeerTempDir dir_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(S3rverStoreTest, TheAwsCliListsAndCopiesWhatTheStorePut) {
  const std::string photo = ReadFile(std::string(ENHANCER_SHARED_DIR) +
                                     "/testdata/images/coffee_1mp.jpg");
  ASSERT_GT(photo.size(), 100000u);
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->Put("products/42/abc/1-base.jpg", photo, "image/jpeg"));

  AwsCli aws(endpoint());
  Result<std::string> listing =
      aws.Run({"s3", "ls", "s3://" + bucket_ + "/" + kPrefix + "products/42/abc/"});
  ASSERT_OK(listing);
  EXPECT_NE(listing->find(std::to_string(photo.size()) + " 1-base.jpg"), std::string::npos)
      << *listing;

  Result<std::string> copied = aws.Run(
      {"s3", "cp", "s3://" + bucket_ + "/" + kPrefix + "products/42/abc/1-base.jpg", "-"});
  ASSERT_OK(copied);
  EXPECT_TRUE(*copied == photo) << "aws s3 cp returned " << copied->size() << " bytes, not "
                                << photo.size();
}

TEST_F(S3rverStoreTest, TheStoreReadsWhatTheAwsCliUploaded) {
  const std::string photo_path =
      std::string(ENHANCER_SHARED_DIR) + "/testdata/images/coffee_1mp_orient6.jpg";
  AwsCli aws(endpoint());
  ASSERT_OK(aws.Run({"s3", "cp", photo_path,
                     "s3://" + bucket_ + "/" + kPrefix + "uploads/raw.jpg"}));
  auto store = Open();
  ASSERT_NE(store, nullptr);
  Result<std::string> got = store->Get("uploads/raw.jpg");
  ASSERT_OK(got);
  EXPECT_TRUE(*got == ReadFile(photo_path)) << "got " << got->size() << " bytes";
  ASSERT_OK(store->Delete("uploads/raw.jpg"));
  EXPECT_CODE(store->Get("uploads/raw.jpg"), StatusCode::kNotFound);
}

}  // namespace
}  // namespace enhancer
