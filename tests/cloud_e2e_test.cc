// The seed's own workflow on the cloud implementations, all on loopback: SQS (fauxqs), S3
// (s3rver, which checks signatures) and Gemini (a stand-in speaking its wire format), with the
// real aws CLI sending the message and listing the bucket.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sqlite3.h>

#include "child_process.h"
#include "jpeg_info.h"
#include "peers/fauxqs_process.h"
#include "peers/s3rver_process.h"
#include "photo_server.h"
#include "plan/gemini_stand_in.h"
#include "queue/sqs_test_queues.h"

namespace enhancer::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kGeminiKey[] = "test-gemini-key-5bd1";
constexpr char kBucket[] = "shop-images";

TEST(CloudWorkflowTest, AwsCliMessageBecomesImagesInS3PlannedByGemini) {
  Result<std::unique_ptr<peers::FauxqsProcess>> sqs = peers::FauxqsProcess::Start();
  ASSERT_TRUE(sqs.has_value()) << sqs.error().ToString();
  Result<std::unique_ptr<peers::S3rverProcess>> s3 = peers::S3rverProcess::Start();
  ASSERT_TRUE(s3.has_value()) << s3.error().ToString();
  AwsCredentials credentials = TestCredentials(peers::S3rverProcess::kAccessKeyId,
                                               peers::S3rverProcess::kSecretAccessKey);
  SqsTestQueues queues((*sqs)->endpoint(), credentials);
  Result<std::string> queue_url = queues.CreateWithDeadLetters("products", 3);
  ASSERT_TRUE(queue_url.has_value()) << queue_url.error().ToString();
  Result<CommandOutput> bucket =
      RunAwsCli({"s3api", "create-bucket", "--bucket", kBucket}, (*s3)->endpoint(), credentials);
  ASSERT_TRUE(bucket.has_value() && bucket->exit_code == 0) << (bucket ? bucket->err : bucket.error().ToString());
  gemini_test::GeminiStandIn gemini(kGeminiKey);
  gemini.SetAliases({"gemini-flash-latest"});
  PhotoServer photos;

  fs::path dir = fs::temp_directory_path() / ("enhancer_cloud_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::map<std::string, std::string> env = {
      {"PORT", "0"},
      {"DATABASE_URL", "sqlite://" + (dir / "enhancer.db").string()},
      {"SQS_QUEUE_URL", *queue_url},
      {"AWS_ENDPOINT_URL_SQS", (*sqs)->endpoint()},
      {"S3_BUCKET", kBucket},
      {"S3_PREFIX", "enhancer"},
      {"AWS_ENDPOINT_URL_S3", (*s3)->endpoint()},
      {"S3_FORCE_PATH_STYLE", "true"},
      {"AWS_REGION", "us-east-1"},
      {"AWS_ACCESS_KEY_ID", peers::S3rverProcess::kAccessKeyId},
      {"AWS_SECRET_ACCESS_KEY", peers::S3rverProcess::kSecretAccessKey},
      {"AWS_EC2_METADATA_DISABLED", "true"},
      {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()},
      {"AWS_CONFIG_FILE", (dir / "none").string()},
      {"GEMINI_API_KEY", kGeminiKey},
      {"GEMINI_BASE_URL", gemini.url()},
      {"FETCH_ALLOWED_NETWORKS", "127.0.0.0/8"},
      {"RECEIVE_WAIT_SECONDS", "1"},
      {"WORKER_CONCURRENCY", "2"}};
  ChildProcess serve({std::string(ENHANCER_BINARY_DIR) + "/enhancer", "serve"}, env, dir.string(),
                     (dir / "serve.log").string());
  std::smatch match;
  std::regex listening(R"(Listening on http://127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(WaitUntil([&] { std::string log = serve.Log(); return std::regex_search(log, match, listening); },
                        std::chrono::seconds(60)))
      << serve.Log();
  std::string log = serve.Log();
  std::regex_search(log, match, listening);
  httplib::Client api("127.0.0.1", std::stoi(match[1]));
  api.set_read_timeout(60, 0);

  auto created = api.Post("/products", json{{"name", "Coffee cup"}, {"category", "kitchen"},
                                            {"raw_image_url", photos.Url("/coffee.jpg")}}.dump(),
                          "application/json");
  ASSERT_TRUE(created && created->status == 201) << (created ? created->body : "no answer");
  int64_t id = json::parse(created->body)["id"];

  // The seed's workflow: a message body that is just the product id, sent by the aws CLI.
  Result<CommandOutput> sent = RunAwsCli({"sqs", "send-message", "--queue-url", *queue_url, "--message-body",
                                          std::to_string(id)},
                                         (*sqs)->endpoint(), credentials);
  ASSERT_TRUE(sent.has_value() && sent->exit_code == 0) << (sent ? sent->err : sent.error().ToString());

  json product;
  WaitUntil(
      [&] {
        auto res = api.Get(("/products/" + std::to_string(id)).c_str());
        if (!res || res->status != 200) return false;
        product = json::parse(res->body);
        return product["status"] != "draft" && product["status"] != "queued" && product["status"] != "processing";
      },
      std::chrono::seconds(180));
  ASSERT_EQ(product["status"], "pending_review") << product.dump(2) << serve.Log();
  ASSERT_EQ(product["images"].size(), 3u);
  EXPECT_GE(gemini.generate_requests(), 1) << "Gemini planned the images";
  EXPECT_EQ(product["planner"]["name"], "gemini:gemini-flash-latest") << product.dump(2);
  EXPECT_EQ(product["planner"]["prompt_tokens"], gemini_test::kStandInPromptTokens);
  EXPECT_EQ(product["planner"]["output_tokens"],
            gemini_test::kStandInCandidatesTokens + gemini_test::kStandInThoughtsTokens);
  for (const gemini_test::StandInRequest& request : gemini.requests()) {
    EXPECT_TRUE(request.problem.empty()) << request.problem;
    EXPECT_EQ(request.query.find(kGeminiKey), std::string::npos) << "the key is never in a URL";
  }

  // Private bucket: the image URLs are presigned, and s3rver (which checks signatures) serves them.
  for (const json& image : product["images"]) {
    std::string url = image["image_url"];
    ASSERT_TRUE(url.starts_with((*s3)->endpoint() + "/" + kBucket + "/enhancer/products/")) << url;
    EXPECT_NE(url.find("X-Amz-Signature="), std::string::npos) << url;
    httplib::Client storage("127.0.0.1", (*s3)->port());
    auto got = storage.Get(url.substr((*s3)->endpoint().size()).c_str());
    ASSERT_TRUE(got) << url;
    EXPECT_EQ(got->status, 200) << got->body;
    std::optional<JpegInfo> info = ReadJpegInfo(got->body);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->width, 1600);
  }

  // And the aws CLI sees exactly those objects: 3 images and 3 thumbnails.
  Result<CommandOutput> listing = RunAwsCli({"s3", "ls", std::string("s3://") + kBucket + "/enhancer/", "--recursive"},
                                            (*s3)->endpoint(), credentials);
  ASSERT_TRUE(listing.has_value() && listing->exit_code == 0) << (listing ? listing->err : listing.error().ToString());
  int objects = 0;
  for (size_t at = listing->out.find(".jpg"); at != std::string::npos; at = listing->out.find(".jpg", at + 1)) ++objects;
  EXPECT_EQ(objects, 6) << listing->out;

  EXPECT_EQ(serve.Stop(SIGTERM), 0);
  std::string final_log = serve.Log();
  EXPECT_NE(final_log.find("Queue URL: " + *queue_url), std::string::npos) << final_log;
  EXPECT_NE(final_log.find("Successfully processed product " + std::to_string(id)), std::string::npos);
  for (const char* secret : {kGeminiKey, peers::S3rverProcess::kSecretAccessKey}) {
    if (std::string(secret) == "S3RVER") continue;  // equals the access key id, which may be logged
    EXPECT_EQ(final_log.find(secret), std::string::npos) << "secrets never reach the log";
  }
  fs::remove_all(dir);
}

// `enhancer enqueue` with many ids against SQS: SendMessageBatch, ten a call; an unknown id is
// reported and the rest still queued, exactly once each (the aws CLI counts them).
TEST(CloudWorkflowTest, EnqueueSendsManyProductsToSqsInBatches) {
  Result<std::unique_ptr<peers::FauxqsProcess>> sqs = peers::FauxqsProcess::Start();
  ASSERT_TRUE(sqs.has_value()) << sqs.error().ToString();
  AwsCredentials credentials = TestCredentials("AKIDEXAMPLE", "enqueue-secret");
  SqsTestQueues queues((*sqs)->endpoint(), credentials);
  Result<std::string> queue_url = queues.Create("enqueue");
  ASSERT_TRUE(queue_url.has_value()) << queue_url.error().ToString();

  fs::path dir = fs::temp_directory_path() / ("enhancer_enqueue_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::map<std::string, std::string> env = {
      {"DATABASE_URL", "sqlite://" + (dir / "enhancer.db").string()},
      {"SQS_QUEUE_URL", *queue_url},
      {"AWS_ENDPOINT_URL_SQS", (*sqs)->endpoint()},
      {"MEDIA_DIR", (dir / "media").string()},
      {"AWS_REGION", "us-east-1"},
      {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
      {"AWS_SECRET_ACCESS_KEY", "enqueue-secret"},
      {"AWS_EC2_METADATA_DISABLED", "true"},
      {"AWS_SHARED_CREDENTIALS_FILE", (dir / "none").string()},
      {"AWS_CONFIG_FILE", (dir / "none").string()}};
  auto run = [&](std::vector<std::string> args, const std::string& log) {
    args.insert(args.begin(), std::string(ENHANCER_BINARY_DIR) + "/enhancer");
    ChildProcess child(args, env, dir.string(), (dir / log).string());
    const int code = child.Wait(std::chrono::seconds(120));
    return std::pair{code, child.Log()};
  };
  ASSERT_EQ(run({"migrate"}, "migrate.log").first, 0);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "enhancer.db").string().c_str(), &db), SQLITE_OK);
    for (int i = 1; i <= 23; ++i) {
      const std::string sql = "INSERT INTO products (name, category, raw_image_url, status, created_at, updated_at) "
                              "VALUES "
                              "('p" + std::to_string(i) + "', 'kitchen', 'https://example.com/" +
                              std::to_string(i) + ".jpg', 'draft', '2026-11-29T00:00:00Z', '2026-11-29T00:00:00Z')";
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    }
    sqlite3_close(db);
  }
  std::vector<std::string> args = {"enqueue"};
  for (int i = 1; i <= 23; ++i) args.push_back(std::to_string(i));
  args.push_back("999");
  auto [code, log] = run(args, "enqueue.log");
  EXPECT_EQ(code, 1) << log;
  EXPECT_NE(log.find("product 999 does not exist"), std::string::npos) << log;
  EXPECT_NE(log.find("queued product 23"), std::string::npos) << log;

  Result<CommandOutput> attributes =
      RunAwsCli({"sqs", "get-queue-attributes", "--queue-url", *queue_url, "--attribute-names",
                 "ApproximateNumberOfMessages"},
                (*sqs)->endpoint(), credentials);
  ASSERT_TRUE(attributes.has_value() && attributes->exit_code == 0)
      << (attributes ? attributes->err : attributes.error().ToString());
  EXPECT_EQ(json::parse(attributes->out)["Attributes"]["ApproximateNumberOfMessages"], "23")
      << attributes->out;
  fs::remove_all(dir);
}

TEST(CloudWorkflowTest, RetiredGeminiModelStopsStartUpNamingModelsThatExist) {
  gemini_test::GeminiStandIn gemini(kGeminiKey);
  fs::path dir = fs::temp_directory_path() / ("enhancer_gemini_model_" + std::to_string(getpid()));
  fs::create_directories(dir);
  ChildProcess serve({std::string(ENHANCER_BINARY_DIR) + "/enhancer", "serve"},
                     {{"PORT", "0"}, {"DATABASE_URL", "sqlite://" + (dir / "e.db").string()},
                      {"EMBEDDED_QUEUE_PATH", (dir / "q.db").string()}, {"MEDIA_DIR", (dir / "media").string()},
                      {"GEMINI_API_KEY", kGeminiKey}, {"GEMINI_BASE_URL", gemini.url()},
                      {"GEMINI_MODEL", "gemini-1.5-flash"}},
                     dir.string(), (dir / "serve.log").string());
  EXPECT_EQ(serve.Wait(std::chrono::seconds(60)), 1);
  std::string log = serve.Log();
  EXPECT_NE(log.find("gemini-1.5-flash"), std::string::npos) << log;
  EXPECT_NE(log.find("gemini-flash-latest"), std::string::npos) << "names a model that exists: " << log;
  EXPECT_EQ(log.find(kGeminiKey), std::string::npos) << "the key is never logged";
  EXPECT_EQ(log.find("Listening on"), std::string::npos) << "it did not start";
  fs::remove_all(dir);
}

// RENDERER=gemini-image in `enhancer enhance`: Gemini plans two variants, the image model draws the
// first, answers the second twice with text only (so libvips renders it, and the manifest says
// so), and is never asked for the "original", which libvips renders as the reference.
TEST(CloudWorkflowTest, GeminiImageRendererDrawsVariantsAndRecordsItsFallback) {
  gemini_test::GeminiStandIn gemini(kGeminiKey);
  gemini.SetAliases({"gemini-flash-latest", "gemini-2.5-flash-image"});
  gemini.Script({gemini_test::GeminiReply::kRecipes, gemini_test::GeminiReply::kImage,
                 gemini_test::GeminiReply::kTextOnly, gemini_test::GeminiReply::kTextOnly});
  fs::path dir = fs::temp_directory_path() / ("enhancer_gemini_image_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string photo = std::string(ENHANCER_SHARED_DIR) + "/testdata/images/smarties_1mp.jpg";
  ChildProcess enhance({std::string(ENHANCER_BINARY_DIR) + "/enhancer", "enhance", photo, "--out",
                        (dir / "out").string(), "--count", "2"},
                       {{"GEMINI_API_KEY", kGeminiKey},
                        {"GEMINI_BASE_URL", gemini.url()},
                        {"RENDERER", "gemini-image"},
                        {"GEMINI_IMAGE_MODEL", "gemini-2.5-flash-image"}},
                       dir.string(), (dir / "enhance.log").string());
  ASSERT_EQ(enhance.Wait(std::chrono::seconds(300)), 0) << enhance.Log();

  std::ifstream in(dir / "out/smarties_1mp/manifest.json");
  const json manifest = json::parse(in, nullptr, false);
  ASSERT_FALSE(manifest.is_discarded()) << enhance.Log();
  EXPECT_EQ(manifest["planner"], "gemini:gemini-flash-latest");
  EXPECT_EQ(manifest["note"],
            "gemini-image gave no image for bright-airy (text only, no image), rendered with "
            "libvips")
      << manifest.dump(2);
  ASSERT_EQ(manifest["images"].size(), 2u);
  for (const json& image : manifest["images"]) {
    EXPECT_EQ(image["width"], 1600);
    EXPECT_EQ(image["height"], 1600);
  }
  EXPECT_EQ(gemini.generate_requests(), 4) << "one plan, three image questions, no original";
  int image_requests = 0;
  for (const gemini_test::StandInRequest& request : gemini.requests()) {
    EXPECT_EQ(request.problem, "") << request.path;
    EXPECT_EQ(request.api_key_header, kGeminiKey);
    EXPECT_EQ(request.query.find(kGeminiKey), std::string::npos);
    if (request.image_request) {
      ++image_requests;
      EXPECT_EQ(request.model, "gemini-2.5-flash-image");
    }
  }
  EXPECT_EQ(image_requests, 3);
  const std::string log = enhance.Log();
  EXPECT_NE(log.find("gemini-image gave no usable image for bright-airy"), std::string::npos)
      << log;
  EXPECT_EQ(log.find(kGeminiKey), std::string::npos) << "the key is never logged";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace enhancer::testing
