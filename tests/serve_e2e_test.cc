// `enhancer serve` end to end, on the embedded defaults: a product goes in over HTTP, its photo
// comes from a loopback server of the test's own, and enhanced JPEGs come out of /media/.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "jpeg_info.h"
#include "photo_server.h"

namespace enhancer::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;


class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("enhancer_e2e_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    env_ = {{"PORT", "0"},
            {"DATABASE_URL", "sqlite://" + (dir_ / "enhancer.db").string()},
            {"EMBEDDED_QUEUE_PATH", (dir_ / "queue.db").string()},
            {"MEDIA_DIR", (dir_ / "media").string()},
            {"FETCH_ALLOWED_NETWORKS", "127.0.0.0/8"},
            {"ENHANCED_IMAGES_COUNT", "3"},
            {"WORKER_CONCURRENCY", "2"},
            {"RECEIVE_WAIT_SECONDS", "1"}};
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<ChildProcess> StartServe() {
    auto serve = std::make_unique<ChildProcess>(
        std::vector<std::string>{std::string(ENHANCER_BINARY_DIR) + "/enhancer", "serve"}, env_,
        dir_.string(), (dir_ / "serve.log").string());
    std::smatch match;
    std::regex listening(R"(Listening on http://127\.0\.0\.1:(\d+))");
    bool up = WaitUntil(
        [&] {
          std::string log = serve->Log();
          return std::regex_search(log, match, listening) &&
                 log.find("Worker thread started") != std::string::npos;
        },
        std::chrono::seconds(60));
    EXPECT_TRUE(up) << serve->Log();
    std::string log = serve->Log();
    if (std::regex_search(log, match, listening)) port_ = std::stoi(match[1]);
    return serve;
  }

  httplib::Client Api() {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(60, 0);
    return client;
  }

  json Get(const std::string& path, int expected_status = 200) {
    auto res = Api().Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body);
  }

  json Post(const std::string& path, const json& body, int expected_status) {
    auto res = Api().Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return json();
    EXPECT_EQ(res->status, expected_status) << path << ": " << res->body;
    return json::parse(res->body);
  }

  // Waits until the product leaves queued/processing; returns it.
  json WaitForProduct(int64_t id) {
    json product;
    WaitUntil(
        [&] {
          product = Get("/products/" + std::to_string(id));
          std::string status = product.value("status", "");
          return status != "queued" && status != "processing";
        },
        std::chrono::seconds(180));
    return product;
  }

  fs::path dir_;
  std::map<std::string, std::string> env_;
  int port_ = 0;
};

TEST_F(ServeTest, ProductGoesFromRawPhotoToReviewedImages) {
  PhotoServer photos;
  std::unique_ptr<ChildProcess> serve = StartServe();
  ASSERT_GT(port_, 0);

  EXPECT_EQ(Get("/healthz")["status"], "ok");

  json created = Post("/products", {{"name", "Coffee cup"}, {"category", "kitchen"},
                                    {"raw_image_url", photos.Url("/coffee.jpg")}}, 201);
  ASSERT_TRUE(created.contains("id"));
  int64_t id = created["id"];
  EXPECT_EQ(created["status"], "draft");
  EXPECT_EQ(created["images"], json::array());
  EXPECT_TRUE(created["error"].is_null());

  json queued = Post("/products/" + std::to_string(id) + "/enhance", json::object(), 202);
  EXPECT_EQ(queued["status"], "queued");

  json done = WaitForProduct(id);
  ASSERT_EQ(done["status"], "pending_review") << done.dump(2) << serve->Log();
  ASSERT_EQ(done["images"].size(), 3u);
  std::set<std::string> variants;
  for (const json& image : done["images"]) {
    variants.insert(image["variant"]);
    EXPECT_EQ(image["status"], "pending_review");
    EXPECT_EQ(image["product_id"], id);
    EXPECT_FALSE(image["prompt"].get<std::string>().empty());
    EXPECT_TRUE(image["recipe"].is_object());
    EXPECT_EQ(image["width"], 1600);
    EXPECT_EQ(image["height"], 1600);
    for (auto [field, side] : {std::pair{"image_url", 1600}, std::pair{"thumbnail_url", 600}}) {
      std::string url = image[field];
      ASSERT_TRUE(url.starts_with("/media/")) << url;
      auto res = Api().Get(url.c_str());
      ASSERT_TRUE(res) << url;
      ASSERT_EQ(res->status, 200) << url;
      EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
      std::optional<JpegInfo> info = ReadJpegInfo(res->body);
      ASSERT_TRUE(info.has_value()) << url;
      EXPECT_EQ(info->width, side);
      EXPECT_EQ(info->height, side);
      if (std::string(field) == "image_url") EXPECT_EQ(image["bytes"], res->body.size());
    }
  }
  EXPECT_EQ(variants.size(), 3u) << "each image is a distinct variant";
  EXPECT_EQ(done["planner"]["name"], "local");
  EXPECT_EQ(done["planner"]["prompt_tokens"], 0);

  // The list and the images endpoint agree with the product.
  json pending = Get("/products?status=pending_review&limit=10");
  ASSERT_EQ(pending["items"].size(), 1u);
  EXPECT_EQ(pending["items"][0]["id"], id);
  EXPECT_TRUE(pending["next_cursor"].is_null());
  EXPECT_EQ(Get("/products/" + std::to_string(id) + "/images")["items"].size(), 3u);

  // Review: approve one, reject the others; the product follows.
  int64_t first = done["images"][0]["id"];
  EXPECT_EQ(Post("/images/" + std::to_string(first) + "/approve", json::object(), 200)["status"], "approved");
  for (size_t i = 1; i < 3; ++i) {
    int64_t other = done["images"][i]["id"];
    EXPECT_EQ(Post("/images/" + std::to_string(other) + "/reject", json::object(), 200)["status"], "rejected");
  }
  EXPECT_EQ(Get("/products/" + std::to_string(id))["status"], "approved");

  // A photo that cannot be downloaded: the product fails with the reason; the worker carries on.
  json missing = Post("/products", {{"name", "Lost"}, {"raw_image_url", photos.Url("/missing.jpg")}}, 201);
  int64_t missing_id = missing["id"];
  Post("/products/" + std::to_string(missing_id) + "/enhance", json::object(), 202);
  json failed = WaitForProduct(missing_id);
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_NE(failed["error"].get<std::string>().find("404"), std::string::npos) << failed.dump();
  EXPECT_EQ(failed["images"].size(), 0u);

  // Operators see what happened.
  json ready = Get("/readyz");
  EXPECT_EQ(ready["status"], "ready");
  EXPECT_EQ(ready["checks"]["database"]["status"], "ok");
  EXPECT_EQ(ready["checks"]["queue"]["status"], "ok");
  EXPECT_EQ(ready["checks"]["store"]["status"], "ok");
  auto metrics = Api().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  for (const char* line : {"enhancer_messages_received_total 2\n", "enhancer_messages_deleted_total 2\n",
                           "enhancer_products_processed_total{outcome=\"pending_review\"} 1\n",
                           "enhancer_products_processed_total{outcome=\"failed\"} 1\n",
                           "enhancer_stage_duration_seconds_count{stage=\"render\"} 3\n",
                           "enhancer_stage_duration_seconds_count{stage=\"download\"} 2\n",
                           "enhancer_queue_messages{state=\"visible\"} 0\n",
                           "enhancer_jobs_in_flight 0\n"}) {
    EXPECT_NE(metrics->body.find(line), std::string::npos) << "missing: " << line << metrics->body;
  }

  // Errors are JSON with the right status code.
  json not_found = Get("/products/424242", 404);
  EXPECT_EQ(not_found["error"]["code"], "not_found");
  EXPECT_EQ(not_found["error"]["message"], "product 424242 does not exist");
  json bad = Post("/products", {{"category", "x"}, {"raw_image_url", photos.Url("/coffee.jpg")}}, 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_argument");
  EXPECT_EQ(bad["error"]["field"], "name");
  json bad_url = Post("/products", {{"name", "x"}, {"raw_image_url", "file:///etc/passwd"}}, 400);
  EXPECT_EQ(bad_url["error"]["field"], "raw_image_url");
  EXPECT_EQ(Post("/products/" + std::to_string(id) + "/enhance", {{"count", 11}}, 400)["error"]["field"], "count");
  EXPECT_EQ(Get("/nowhere", 404)["error"]["code"], "not_found");

  EXPECT_EQ(serve->Stop(SIGTERM), 0) << serve->Log();
  std::string log = serve->Log();
  for (const std::string& line : std::vector<std::string>{"Worker thread started", "Queue URL: ", "Enhanced images count: 3",
                           "Received message for product_id: " + std::to_string(id),
                           "Successfully processed product " + std::to_string(id)}) {
    EXPECT_NE(log.find(line), std::string::npos) << "missing log line: " << line << "\n" << log;
  }
}

TEST_F(ServeTest, EnqueueAndProcessCommandsWorkOnTheSameFiles) {
  PhotoServer photos;
  std::string binary = std::string(ENHANCER_BINARY_DIR) + "/enhancer";
  auto run = [&](std::vector<std::string> args, const std::string& log) {
    args.insert(args.begin(), binary);
    ChildProcess child(args, env_, dir_.string(), (dir_ / log).string());
    int code = child.Wait(std::chrono::seconds(120));
    return std::pair{code, child.Log()};
  };
  EXPECT_EQ(run({"migrate"}, "migrate.log").first, 0);

  // An unknown product cannot be queued, and says why.
  auto [code, log] = run({"enqueue", "999"}, "enqueue.log");
  EXPECT_EQ(code, 1);
  EXPECT_NE(log.find("product 999 does not exist"), std::string::npos) << log;

  // Products are created through the API; process one synchronously with the CLI.
  std::unique_ptr<ChildProcess> serve = StartServe();
  json created = Post("/products", {{"name", "Cup"}, {"raw_image_url", photos.Url("/coffee.jpg")}}, 201);
  serve->Stop(SIGTERM);
  std::string id = std::to_string(created["id"].get<int64_t>());
  auto [process_code, process_log] = run({"process", id, "--count", "2"}, "process.log");
  EXPECT_EQ(process_code, 0) << process_log;
  EXPECT_NE(process_log.find("Successfully processed product " + id), std::string::npos) << process_log;

  // One unknown id among known ones: that one is reported (exit 1), the others are queued.
  auto [enqueue_code, enqueue_log] = run({"enqueue", id, "998"}, "enqueue2.log");
  EXPECT_EQ(enqueue_code, 1) << enqueue_log;
  EXPECT_NE(enqueue_log.find("queued product " + id), std::string::npos) << enqueue_log;
  EXPECT_NE(enqueue_log.find("product 998 does not exist"), std::string::npos) << enqueue_log;
  auto [stats_code, stats_log] = run({"queue", "stats", "--json"}, "stats.log");
  EXPECT_EQ(stats_code, 0) << stats_log;
  json stats = json::parse(stats_log.substr(stats_log.find('{')));
  EXPECT_EQ(stats["visible"], 1);
  EXPECT_EQ(stats["in_flight"], 0);
  EXPECT_EQ(stats["dead_lettered"], 0);
}

TEST_F(ServeTest, JsonLogLinesCarryTheJobsProductAndMessage) {
  PhotoServer photos;
  env_["LOG_FORMAT"] = "json";
  std::unique_ptr<ChildProcess> serve = StartServe();
  ASSERT_GT(port_, 0);
  json created = Post("/products", {{"name", "Cup"}, {"raw_image_url", photos.Url("/coffee.jpg")}}, 201);
  int64_t id = created["id"];
  Post("/products/" + std::to_string(id) + "/enhance", {{"count", 1}}, 202);
  EXPECT_EQ(WaitForProduct(id)["status"], "pending_review");
  EXPECT_EQ(serve->Stop(SIGTERM), 0);

  std::istringstream log(serve->Log());
  std::string line;
  int job_lines = 0;
  while (std::getline(log, line)) {
    json entry = json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << "not JSON: " << line;
    EXPECT_TRUE(entry.contains("time") && entry.contains("level") && entry.contains("message")) << line;
    std::string message = entry["message"];
    if (message.starts_with("Received message for product_id") || message.starts_with("Successfully processed")) {
      ++job_lines;
      EXPECT_EQ(entry["product_id"], id) << line;
      EXPECT_FALSE(entry["message_id"].get<std::string>().empty()) << line;
    }
  }
  EXPECT_EQ(job_lines, 2);
}

TEST_F(ServeTest, WriteRequestsNeedTheTokenWhenOneIsSet) {
  env_["API_TOKEN"] = "test-token-123";
  std::unique_ptr<ChildProcess> serve = StartServe();
  ASSERT_GT(port_, 0);
  json body = {{"name", "Cup"}, {"raw_image_url", "https://example.com/cup.jpg"}};
  json refused = Post("/products", body, 401);
  EXPECT_EQ(refused["error"]["code"], "unauthorized");
  httplib::Client client = Api();
  auto wrong = client.Post("/products", httplib::Headers{{"Authorization", "Bearer nope"}}, body.dump(),
                           "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  auto created = client.Post("/products", httplib::Headers{{"Authorization", "Bearer test-token-123"}},
                             body.dump(), "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Get("/products?limit=5")["items"].size(), 1u) << "reads need no token";
  EXPECT_EQ(serve->Stop(SIGTERM), 0);
  EXPECT_EQ(serve->Log().find("test-token-123"), std::string::npos) << "the token is never logged";
}

TEST_F(ServeTest, UploadedPhotoBecomesAProductsRawImage) {
  std::unique_ptr<ChildProcess> serve = StartServe();
  ASSERT_GT(port_, 0);
  std::string photo = ReadTestFile(fs::path(ENHANCER_SHARED_DIR) / "testdata/images/smarties_1mp.jpg");
  httplib::MultipartFormDataItems form = {{"file", photo, "smarties.jpg", "image/jpeg"}};
  auto uploaded = Api().Post("/uploads", form);
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 201) << uploaded->body;
  json upload = json::parse(uploaded->body);
  std::string key = upload["key"];
  EXPECT_TRUE(key.starts_with("uploads/")) << key;
  auto again = Api().Post("/uploads", form);
  EXPECT_EQ(json::parse(again->body)["key"], key) << "the same photo is stored once";

  httplib::MultipartFormDataItems text = {{"file", "<html>hi</html>", "x.jpg", "image/jpeg"}};
  auto refused = Api().Post("/uploads", text);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(json::parse(refused->body)["error"]["message"], "the uploaded file is not an image (looks like HTML)");

  json created = Post("/products", {{"name", "Smarties"}, {"raw_image_url", key}}, 201);
  EXPECT_EQ(created["raw_image_view_url"], upload["url"]);
  int64_t id = created["id"];
  Post("/products/" + std::to_string(id) + "/enhance", {{"count", 2}}, 202);
  json done = WaitForProduct(id);
  EXPECT_EQ(done["status"], "pending_review") << done.dump();
  EXPECT_EQ(done["images"].size(), 2u);
  json counts = Get("/products/counts");
  EXPECT_EQ(counts["counts"]["pending_review"], 1);
  EXPECT_EQ(counts["counts"]["draft"], 0);
  EXPECT_EQ(counts["total"], 1);
  EXPECT_EQ(serve->Stop(SIGTERM), 0);
}

TEST_F(ServeTest, TellsSystemdWhenReadyAndWhenStopping) {
  std::string path = (dir_ / "notify.sock").string();
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  timeval timeout{60, 0};  // hang guard
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  auto receive = [fd] {
    char buf[256];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, n) : std::string();
  };
  env_["NOTIFY_SOCKET"] = path;
  env_["WATCHDOG_USEC"] = "400000";
  std::unique_ptr<ChildProcess> serve = StartServe();
  EXPECT_EQ(receive(), "READY=1\nSTATUS=Processing the queue");
  EXPECT_EQ(receive(), "WATCHDOG=1");
  EXPECT_EQ(serve->Stop(SIGTERM), 0);
  std::string last = receive();
  while (last == "WATCHDOG=1") last = receive();
  EXPECT_EQ(last, "STOPPING=1");
  close(fd);
}

TEST_F(ServeTest, BadConfigurationStopsStartUpWithAMessage) {
  for (std::string value : {"0", "11", "abc"}) {
    env_["ENHANCED_IMAGES_COUNT"] = value;
    ChildProcess serve({std::string(ENHANCER_BINARY_DIR) + "/enhancer", "serve"}, env_, dir_.string(),
                       (dir_ / "bad.log").string());
    EXPECT_EQ(serve.Wait(std::chrono::seconds(30)), 2);
    EXPECT_NE(serve.Log().find("ENHANCED_IMAGES_COUNT must be an integer from 1 to 10, got \"" + value + "\""),
              std::string::npos)
        << serve.Log();
  }
}

}  // namespace
}  // namespace enhancer::testing
