// Hostile input through the real `enhancer serve`: malformed queue messages, image hosts that
// fail, stall or lie, photos built to exhaust the decoder, and URLs that point inside the
// machine. For each: the product's final status, the error its owner sees in GET /products/{id},
// and proof that the worker carried on (a good product queued after each batch completes).
//
// Safety: the forbidden addresses outside loopback (169.254.x, 10.x) are refused by the
// fetcher's address policy at connect time, before a socket exists, so no packet leaves the
// machine. The test checks that policy in process first and does not send those cases if it
// would let any of them through.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "direct_access.h"
#include "enhancer_instance.h"
#include "fetch/address_policy.h"
#include "fetch/cidr.h"
#include "photo_server.h"
#include "test_photos.h"

namespace enhancer::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr seconds kHangGuard{300};
constexpr int kImages = 2;
constexpr int kMaxReceives = 3;
constexpr int64_t kMaxImageBytes = 2'000'000;

struct Case {
  std::string name;
  // Sets up the photo server if needed and returns the product's raw_image_url.
  std::function<std::string(PhotoServer&)> url;
  std::string error;  // the product's error must contain this
  int requests = -1;  // requests the photo server must have seen for `path` (-1: not checked)
  std::string path;
};

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = std::make_unique<EnhancerInstance>("hostile");
    auto& env = instance_->env();
    env["FETCH_ALLOWED_NETWORKS"] = "127.0.0.1/32";  // the test's photo server, and nothing else
    env["FETCH_TIMEOUT_SECONDS"] = "2";
    env["MAX_IMAGE_BYTES"] = std::to_string(kMaxImageBytes);
    env["MAX_RECEIVE_COUNT"] = std::to_string(kMaxReceives);
    env["WORKER_CONCURRENCY"] = "4";
    env["ENHANCED_IMAGES_COUNT"] = std::to_string(kImages);
    env["OUTPUT_SIZE"] = "200";
    env["THUMBNAIL_SIZE"] = "50";
    env["VISIBILITY_TIMEOUT"] = "10";
  }

  void TearDown() override {
    if (instance_->Running()) {
      EXPECT_EQ(instance_->Stop(SIGTERM), 0) << "the worker did not stop cleanly\n"
                                             << instance_->Log();
    }
  }

  bool Start() {
    if (!instance_->Start("serve")) return false;
    access_ = std::make_unique<DirectAccess>(instance_->database_path(), instance_->queue_path(),
                                             instance_->media_dir().string());
    return access_->queue != nullptr;
  }

  // Creates every case's product, waits for each to settle, and checks status and error.
  void RunCases(const std::vector<Case>& cases, const std::string& final_status = "failed") {
    std::vector<int64_t> ids;
    for (const Case& c : cases) ids.push_back(instance_->CreateAndEnhance(c.name, c.url(photos_)));
    for (size_t i = 0; i < cases.size(); ++i) CheckSettled(ids[i], cases[i], final_status);
  }

  void CheckSettled(int64_t id, const Case& c, const std::string& final_status = "failed") {
    ASSERT_GT(id, 0) << c.name;
    json product = instance_->WaitUntilSettled(id, kHangGuard);
    EXPECT_EQ(product.value("status", ""), final_status) << c.name << ": " << product.dump();
    const std::string error =
        product["error"].is_string() ? product["error"].get<std::string>() : "";
    EXPECT_NE(error.find(c.error), std::string::npos)
        << c.name << ": error \"" << error << "\" does not contain \"" << c.error << "\"";
    EXPECT_EQ(product["images"].size(), 0u) << c.name;
    if (c.requests >= 0) {
      EXPECT_EQ(photos_.Requests(c.path), c.requests) << c.name;
    }
    std::cout << c.name << " -> " << product.value("status", "") << ": " << error << "\n";
  }

  // A good product queued now still completes: the worker carried on.
  void ExpectTheWorkerCarriesOn() {
    const std::string path = "/good-" + std::to_string(++good_) + ".jpg";
    photos_.Serve(path, SmallJpeg(100 + good_));
    const int64_t id = instance_->CreateAndEnhance("good " + path, photos_.Url(path));
    json product = instance_->WaitUntilSettled(id, kHangGuard);
    EXPECT_EQ(product.value("status", ""), "pending_review") << product.dump() << instance_->Log();
    EXPECT_EQ(product["images"].size(), static_cast<size_t>(kImages));
    EXPECT_TRUE(instance_->Running());
  }

  // Permanent failures delete their message: nothing is left to deliver, nothing dead-lettered.
  void ExpectEveryMessageRemoved() {
    EXPECT_TRUE(WaitUntil(
        [&] {
          QueueStats s = Stats();
          return s.visible + s.in_flight + s.delayed == 0;
        },
        kHangGuard));
    EXPECT_EQ(Stats().dead_lettered, 0);
  }

  QueueStats Stats() {
    Result<QueueStats> stats = access_->queue->Stats();
    EXPECT_TRUE(stats.has_value()) << stats.error().ToString();
    return stats ? *stats : QueueStats{-1, -1, -1, -1};
  }

  PhotoServer photos_;
  std::unique_ptr<EnhancerInstance> instance_;
  std::unique_ptr<DirectAccess> access_;
  int good_ = 0;
};

// Bodies the API never sends, put straight onto the queue file: each is removed and logged, and
// no product changes.
TEST_F(HostileInputTest, MalformedMessagesAreRemovedLoggedAndChangeNothing) {
  ASSERT_TRUE(Start());
  const int64_t bystander =
      instance_
          ->Post("/products", {{"name", "bystander"}, {"raw_image_url", photos_.Url("/x.jpg")}})
          .body.value("id", int64_t{-1});
  ASSERT_GT(bystander, 0);
  const json before = instance_->Get("/products?limit=200").body;

  const std::string id = std::to_string(bystander);
  const std::vector<std::string> malformed = {
      "abc",
      "   ",
      "12abc",
      "-5",
      "0",
      "99999999999999999999999",
      "9007199254740993",  // 2^53 + 1: not exact in JSON
      "{not json",
      "[1, 2]",
      "{\"id\": " + id + "}",
      "{\"product_id\": \"x\"}",
      "{\"product_id\": -1}",
      "{\"product_id\": 1.5}",
      "{\"product_id\": " + id + ", \"count\": 99}",
      std::string("\x01\x02\xff\xfe binary", 12),
  };
  std::vector<std::string> message_ids;
  for (const std::string& body : malformed) {
    Result<std::string> sent = access_->queue->Send(body);
    ASSERT_TRUE(sent.has_value()) << sent.error().ToString();
    message_ids.push_back(*sent);
  }
  // A well-formed message for a product that does not exist: removed, logged, nothing recorded.
  ASSERT_TRUE(access_->queue->Send("424242").has_value());

  ASSERT_TRUE(WaitUntil(
      [&] {
        QueueStats s = Stats();
        return s.visible + s.in_flight + s.delayed == 0;
      },
      kHangGuard));
  EXPECT_EQ(Stats().dead_lettered, 0) << "malformed messages are removed, not retried";
  const std::string log = instance_->Log();
  for (size_t i = 0; i < message_ids.size(); ++i) {
    EXPECT_NE(log.find("Discarding message " + message_ids[i] + ": malformed message"),
              std::string::npos)
        << "body #" << i << " not logged as discarded\n"
        << log;
  }
  EXPECT_NE(log.find("product 424242 does not exist"), std::string::npos) << log;
  EXPECT_EQ(instance_->Get("/products?limit=200").body, before) << "a product changed";
  EXPECT_EQ(instance_->Get("/products/424242").status, 404);
  ExpectTheWorkerCarriesOn();
}

TEST_F(HostileInputTest, PhotosThatAreNotUsableFailTheProductWithTheReason) {
  ASSERT_TRUE(Start());
  const std::string jpeg = SmallJpeg(5);
  std::string oversized = SmallJpeg(6);
  oversized.resize(kMaxImageBytes + 1000, '\0');  // a JPEG with junk after it, over the limit
  const std::string png = UniformPng(30000);
  ASSERT_LT(static_cast<int64_t>(png.size()), kMaxImageBytes) << "the PNG must pass the byte limit";
  std::string random(4096, '\0');
  for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<char>((i * 2654435761u) >> 13);
  const std::string credentials = "s3cretpassword";

  auto serve = [](const std::string& path, std::function<void(PhotoServer&)> setup) {
    return [path, setup](PhotoServer& photos) {
      setup(photos);
      return photos.Url(path);
    };
  };
  std::vector<Case> cases = {
      {"404", serve("/404.jpg", [](PhotoServer& p) { p.ServeStatus("/404.jpg", 404); }),
       "downloading the raw image: image URL answered HTTP 404", 1, "/404.jpg"},
      {"410", serve("/410.jpg", [](PhotoServer& p) { p.ServeStatus("/410.jpg", 410); }),
       "image URL answered HTTP 410", 1, "/410.jpg"},
      {"403", serve("/403.jpg", [](PhotoServer& p) { p.ServeStatus("/403.jpg", 403); }),
       "image URL answered HTTP 403", 1, "/403.jpg"},
      {"html as image/jpeg",
       serve("/page.jpg",
             [](PhotoServer& p) {
               p.Serve("/page.jpg", "<!DOCTYPE html><html><body>hi</body></html>", "image/jpeg");
             }),
       "downloading the raw image: not an image (looks like HTML)", 1, "/page.jpg"},
      {"empty file", serve("/empty.jpg", [](PhotoServer& p) { p.Serve("/empty.jpg", ""); }),
       "downloading the raw image: empty response", 1, "/empty.jpg"},
      {"random bytes",
       serve("/random.jpg", [&](PhotoServer& p) { p.Serve("/random.jpg", random); }),
       "not an image (unrecognised format)", 1, "/random.jpg"},
      {"truncated jpeg",
       serve("/truncated.jpg",
             [&](PhotoServer& p) { p.Serve("/truncated.jpg", jpeg.substr(0, jpeg.size() / 2)); }),
       "the JPEG image could not be decoded: VipsJpeg: Premature end of input file", 1,
       "/truncated.jpg"},
      {"30000x30000 png",
       serve("/huge.png", [&](PhotoServer& p) { p.Serve("/huge.png", png, "image/png"); }),
       "image is 30000x30000 pixels, more than the limit of 100000000 pixels", 1, "/huge.png"},
      {"oversized with length",
       serve("/big.jpg", [&](PhotoServer& p) { p.Serve("/big.jpg", oversized); }),
       "image is larger than the limit of 2000000 bytes", 1, "/big.jpg"},
      {"oversized chunked",
       serve("/big-chunked.jpg",
             [&](PhotoServer& p) { p.ServeChunked("/big-chunked.jpg", oversized); }),
       "image is larger than the limit of 2000000 bytes", 1, "/big-chunked.jpg"},
      {"too many redirects",
       serve("/loop.jpg", [](PhotoServer& p) { p.ServeRedirect("/loop.jpg", "/loop.jpg"); }),
       "too many redirects", -1, ""},
      {"credentials in the url",
       [&](PhotoServer& p) {
         p.ServeStatus("/private.jpg", 404);
         return "http://alice:" + credentials + "@127.0.0.1:" + std::to_string(p.port()) +
                "/private.jpg";
       },
       "image URL answered HTTP 404", 1, "/private.jpg"},
      {"stored key that does not exist",
       [](PhotoServer&) { return std::string("uploads/nothing-here.jpg"); },
       "no object with key uploads/nothing-here.jpg", -1, ""},
  };
  RunCases(cases);
  // The owner's own URL is theirs to see; the error and the log must not repeat the password.
  for (const json& item : instance_->Get("/products?limit=200").body["items"]) {
    const std::string error = item["error"].is_string() ? item["error"].get<std::string>() : "";
    EXPECT_EQ(error.find(credentials), std::string::npos) << error;
  }
  EXPECT_EQ(instance_->Log().find(credentials), std::string::npos) << "a password was logged";
  ExpectEveryMessageRemoved();
  ExpectTheWorkerCarriesOn();
}

// Transient failures are retried (with a growing delay) until MAX_RECEIVE_COUNT receives, then
// the product fails with the last error and the message is dead-lettered.
TEST_F(HostileInputTest, HostsThatFailForNowAreRetriedThenTheProductFails) {
  ASSERT_TRUE(Start());
  const std::string jpeg = SmallJpeg(9);
  const std::string gave_up = "gave up after 3 attempts: downloading the raw image: ";
  std::vector<Case> cases = {
      {"500",
       [](PhotoServer& p) {
         p.ServeStatus("/500.jpg", 500);
         return p.Url("/500.jpg");
       },
       gave_up + "image URL answered HTTP 500", kMaxReceives, "/500.jpg"},
      {"503",
       [](PhotoServer& p) {
         p.ServeStatus("/503.jpg", 503);
         return p.Url("/503.jpg");
       },
       gave_up + "image URL answered HTTP 503", kMaxReceives, "/503.jpg"},
      {"slower than FETCH_TIMEOUT_SECONDS",
       [&](PhotoServer& p) {
         p.ServeTrickle("/slow.jpg", jpeg);
         return p.Url("/slow.jpg");
       },
       gave_up + "image download timed out", kMaxReceives, "/slow.jpg"},
      {"never answers",
       [](PhotoServer& p) {
         p.ServeNothing("/never.jpg");
         return p.Url("/never.jpg");
       },
       gave_up + "image download timed out", kMaxReceives, "/never.jpg"},
  };
  RunCases(cases);
  ASSERT_TRUE(WaitUntil([&] { return Stats().dead_lettered == static_cast<int64_t>(cases.size()); },
                        kHangGuard));
  ExpectTheWorkerCarriesOn();
}

// The safety interlock: this test's own policy check, in process, before any case that names an
// address outside loopback is created.
::testing::AssertionResult PolicyRefusesAll(const std::vector<std::string>& addresses) {
  Result<std::vector<Cidr>> allowed = ParseCidrList("127.0.0.1/32");
  if (!allowed) return ::testing::AssertionFailure() << allowed.error().ToString();
  AddressPolicy policy(*allowed);
  for (const std::string& text : addresses) {
    std::optional<IpAddress> address = IpAddress::Parse(text);
    if (!address) return ::testing::AssertionFailure() << "cannot parse " << text;
    if (!policy.IsForbidden(*address)) {
      return ::testing::AssertionFailure() << "the policy would connect to " << text;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST_F(HostileInputTest, AddressesInsideTheMachineOrNetworkAreRefused) {
  ASSERT_TRUE(PolicyRefusesAll(
      {"169.254.169.254", "10.0.0.1", "10.20.30.40", "::1", "0.0.0.0", "127.0.0.2"}))
      << "refusing to run cases that could reach a real address";
  ASSERT_TRUE(Start());
  const std::string refusing = "downloading the raw image: refusing to fetch from ";
  auto redirect = [](const std::string& path, std::string location) {
    return [path, location](PhotoServer& p) {
      std::string target = location;
      if (size_t port = target.find("PORT"); port != std::string::npos) {
        target.replace(port, 4, std::to_string(p.port()));
      }
      p.ServeRedirect(path, target);
      return p.Url(path);
    };
  };
  std::vector<Case> cases = {
      // 127.0.0.1 is this test's allowed photo host; another loopback address is not allowed.
      {"redirect to 127.0.0.2", redirect("/r-loopback.jpg", "http://127.0.0.2:PORT/good.jpg"),
       refusing + "127.0.0.2", 1, "/r-loopback.jpg"},
      {"redirect to the metadata address",
       redirect("/r-metadata.jpg", "http://169.254.169.254/latest/meta-data/"),
       refusing + "169.254.169.254", 1, "/r-metadata.jpg"},
      {"redirect to a private address", redirect("/r-private.jpg", "http://10.0.0.1/photo.jpg"),
       refusing + "10.0.0.1", 1, "/r-private.jpg"},
      {"redirect to [::1]", redirect("/r-v6.jpg", "http://[::1]:PORT/good.jpg"), refusing + "::1",
       1, "/r-v6.jpg"},
      {"redirect to 0.0.0.0", redirect("/r-any.jpg", "http://0.0.0.0:PORT/good.jpg"),
       refusing + "0.0.0.0", 1, "/r-any.jpg"},
      {"redirect to file://", redirect("/r-file.jpg", "file:///etc/passwd"),
       "unsupported URL scheme in a redirect", 1, "/r-file.jpg"},
      {"redirect to gopher://", redirect("/r-gopher.jpg", "gopher://127.0.0.1:PORT/_x"),
       "unsupported URL scheme in a redirect", 1, "/r-gopher.jpg"},
      {"metadata address",
       [](PhotoServer&) { return std::string("http://169.254.169.254/latest/meta-data/"); },
       refusing + "169.254.169.254", -1, ""},
      {"private address", [](PhotoServer&) { return std::string("http://10.20.30.40/photo.jpg"); },
       refusing + "10.20.30.40", -1, ""},
      {"[::1]",
       [](PhotoServer& p) { return "http://[::1]:" + std::to_string(p.port()) + "/good.jpg"; },
       refusing + "::1", -1, ""},
      {"0.0.0.0",
       [](PhotoServer& p) { return "http://0.0.0.0:" + std::to_string(p.port()) + "/good.jpg"; },
       refusing + "0.0.0.0", -1, ""},
  };
  RunCases(cases);
  ExpectEveryMessageRemoved();
  ExpectTheWorkerCarriesOn();
}

// file:// and gopher:// (and other non-http input) are refused by the API at creation; rows
// written straight into the database are refused again by the worker.
TEST_F(HostileInputTest, NonHttpUrlsAreRefusedByTheApiAndByTheWorker) {
  ASSERT_TRUE(Start());
  const std::vector<std::string> refused_by_api = {
      "file:///etc/passwd",
      "gopher://127.0.0.1:70/_x",
      "javascript:alert(1)",
      "ftp://127.0.0.1/photo.jpg",
      "../../etc/passwd",
      "/etc/passwd",
      "http://127.0.0.1/x.jpg\r\nHost: elsewhere",
      "http://127.0.0.1/" + std::string(3000, 'a') + ".jpg",
  };
  for (const std::string& url : refused_by_api) {
    EnhancerInstance::Answer answer =
        instance_->Post("/products", {{"name", "sneaky"}, {"raw_image_url", url}});
    EXPECT_EQ(answer.status, 400) << url << ": " << answer.raw;
    EXPECT_EQ(answer.body["error"].value("code", ""), "invalid_argument") << url;
    EXPECT_EQ(answer.body["error"].value("field", ""), "raw_image_url") << url;
  }
  EXPECT_EQ(instance_->Get("/products?limit=200").body["items"].size(), 0u) << "nothing created";

  struct Row {
    std::string url;
    std::string error;
  };
  const std::vector<Row> rows = {
      {"file:///etc/passwd", "unsupported URL scheme \"file\""},
      {"gopher://127.0.0.1:70/_x", "unsupported URL scheme \"gopher\""},
      {"../../etc/passwd", "raw_image_url is neither an http(s) URL nor a stored object key"},
  };
  std::vector<int64_t> ids;
  for (const Row& row : rows) {
    Result<Product> created = access_->repository->CreateProduct({"row", "", row.url});
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    EXPECT_EQ(
        instance_->Post("/products/" + std::to_string(created->id) + "/enhance", json::object())
            .status,
        202);
    ids.push_back(created->id);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    CheckSettled(ids[i], Case{rows[i].url, nullptr, rows[i].error, -1, ""});
  }
  ExpectEveryMessageRemoved();
  ExpectTheWorkerCarriesOn();
}

// Without FETCH_ALLOWED_NETWORKS, loopback itself is forbidden: a host name that resolves to it
// (localhost) is refused on the resolved address, as is the address written out.
TEST_F(HostileInputTest, AHostNameThatResolvesToLoopbackIsRefusedWithoutTheAllowList) {
  instance_->env()["FETCH_ALLOWED_NETWORKS"] = "";
  ASSERT_TRUE(Start());
  photos_.Serve("/photo.jpg", SmallJpeg(11));
  const std::string port = std::to_string(photos_.port());
  std::vector<Case> cases = {
      {"localhost", [&](PhotoServer&) { return "http://localhost:" + port + "/photo.jpg"; },
       "downloading the raw image: refusing to fetch from ", 0, "/photo.jpg"},
      {"127.0.0.1", [&](PhotoServer&) { return "http://127.0.0.1:" + port + "/photo.jpg"; },
       "downloading the raw image: refusing to fetch from 127.0.0.1: loopback address", 0,
       "/photo.jpg"},
  };
  RunCases(cases);
  // The photo server is out of reach here: a good product comes from an upload instead.
  EnhancerInstance::Answer upload = instance_->Upload(SmallJpeg(12));
  ASSERT_EQ(upload.status, 201) << upload.raw;
  const int64_t id = instance_->CreateAndEnhance("uploaded", upload.body["key"]);
  json product = instance_->WaitUntilSettled(id, kHangGuard);
  EXPECT_EQ(product.value("status", ""), "pending_review") << product.dump();
  EXPECT_EQ(product["images"].size(), static_cast<size_t>(kImages));
}

}  // namespace
}  // namespace enhancer::testing
