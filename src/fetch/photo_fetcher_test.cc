#include "fetch/photo_fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace enhancer {
namespace {

using namespace std::chrono_literals;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

const std::string& TestPhoto() {
  static const std::string photo = ReadFile(ENHANCER_SHARED_DIR "/testdata/images/coffee_1mp.jpg");
  return photo;
}

// An HTTP server on a loopback address and a free port, with the answers the tests need. Counts
// every request it sees, so a test can check that a refused URL was never connected to.
class TestServer {
 public:
  explicit TestServer(std::string host = "127.0.0.1") : host_(std::move(host)) {
    server_.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
      requests_.fetch_add(1);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server_.Get("/photo.jpg", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(TestPhoto(), "image/jpeg");
    });
    server_.Get("/png-as-text", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "text/plain");
    });
    server_.Get(R"(/status/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1]);
      res.set_content("<html><body>error page</body></html>", "text/html");
    });
    server_.Get("/html", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("<!DOCTYPE html><html><body>Sign in to see this photo</body></html>",
                      "image/jpeg");
    });
    server_.Get("/empty", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("", "image/jpeg");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("\xff\xd8\xff\xe0" + std::string(10'000, 'x'), "image/jpeg");
    });
    // No Content-Length: the size shows only while reading.
    server_.Get("/big-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("image/jpeg", [](size_t offset, httplib::DataSink& sink) {
        if (offset >= 100'000) {
          sink.done();
          return true;
        }
        const std::string chunk =
            offset == 0 ? "\xff\xd8\xff\xe0" + std::string(996, 'x') : std::string(1000, 'x');
        return sink.write(chunk.data(), chunk.size());
      });
    });
    // Sends the start of a JPEG, then nothing until the test ends.
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("image/jpeg", [this](size_t, httplib::DataSink& sink) {
        sink.write("\xff\xd8\xff\xe0", 4);
        std::unique_lock lock(mu_);
        ++slow_requests_;
        cv_.notify_all();
        cv_.wait(lock, [this] { return released_; });
        sink.done();
        return true;
      });
    });
    server_.Get("/redirect", [](const httplib::Request& req, httplib::Response& res) {
      res.set_redirect(req.get_param_value("to"));
    });
    // /chain/3 -> /chain/2 -> /chain/1 -> /chain/0, the photo: N redirects.
    server_.Get(R"(/chain/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      int left = std::stoi(req.matches[1]);
      if (left == 0) {
        res.set_content(TestPhoto(), "image/jpeg");
      } else {
        res.set_redirect("/chain/" + std::to_string(left - 1));
      }
    });
    port_ = server_.bind_to_any_port(host_);
    if (port_ > 0) {
      thread_ = std::thread([this] { server_.listen_after_bind(); });
      // httplib 0.11 has no readiness signal, and stop() before the loop runs would be lost.
      while (!server_.is_running()) std::this_thread::sleep_for(1ms);
    }
  }

  ~TestServer() {
    {
      std::lock_guard lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string Url(std::string_view path) const {
    return "http://" + host_ + ":" + std::to_string(port_) + std::string(path);
  }
  std::string RedirectUrl(std::string_view to) const {
    return Url("/redirect?to=" + PercentEncode(to));
  }
  int requests() const { return requests_.load(); }

  // Waits until a /slow answer has begun; false if none did within a generous bound.
  bool WaitForSlowRequest() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 30s, [this] { return slow_requests_ > 0; });
  }

 private:
  const std::string host_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<int> requests_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  int slow_requests_ = 0;  // guarded by mu_
  bool released_ = false;  // guarded by mu_
};

std::vector<Cidr> Networks(std::string_view list) {
  Result<std::vector<Cidr>> networks = ParseCidrList(list);
  EXPECT_TRUE(networks.has_value()) << networks.error().ToString();
  return networks.has_value() ? *networks : std::vector<Cidr>{};
}

FetchOptions LoopbackOptions() {
  FetchOptions options;
  options.allowed_networks = Networks("127.0.0.0/8");
  return options;
}

void ExpectError(const Result<FetchedPhoto>& result, StatusCode code, std::string_view part) {
  ASSERT_FALSE(result.has_value()) << "fetched " << result->bytes.size() << " bytes";
  EXPECT_EQ(result.error().code(), code) << result.error().ToString();
  EXPECT_NE(result.error().message().find(part), std::string::npos)
      << "\"" << part << "\" not in: " << result.error().message();
}

class PhotoFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.ok()) << "cannot bind 127.0.0.1"; }
  TestServer server_;
};

TEST_F(PhotoFetcherTest, FetchesARealJpeg) {
  PhotoFetcher fetcher(LoopbackOptions());
  Result<FetchedPhoto> photo = fetcher.Fetch(server_.Url("/photo.jpg"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_TRUE(photo->bytes == TestPhoto()) << "got " << photo->bytes.size() << " bytes";
  EXPECT_EQ(photo->type, ImageType::kJpeg);
  EXPECT_EQ(photo->content_type, "image/jpeg");
  EXPECT_EQ(photo->final_url, server_.Url("/photo.jpg"));
}

TEST_F(PhotoFetcherTest, TheTypeIsSniffedNotTakenFromTheHeader) {
  PhotoFetcher fetcher(LoopbackOptions());
  Result<FetchedPhoto> photo = fetcher.Fetch(server_.Url("/png-as-text"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_EQ(photo->content_type, "image/png");
}

TEST_F(PhotoFetcherTest, HttpErrorsMapToPermanentOrTransientCodes) {
  PhotoFetcher fetcher(LoopbackOptions());
  const std::pair<int, StatusCode> kCases[] = {
      {404, StatusCode::kNotFound},        {410, StatusCode::kNotFound},
      {400, StatusCode::kInvalidArgument}, {401, StatusCode::kInvalidArgument},
      {403, StatusCode::kInvalidArgument}, {408, StatusCode::kUnavailable},
      {429, StatusCode::kUnavailable},     {500, StatusCode::kUnavailable},
      {502, StatusCode::kUnavailable},     {503, StatusCode::kUnavailable},
  };
  for (const auto& [http, code] : kCases) {
    SCOPED_TRACE("HTTP " + std::to_string(http));
    ExpectError(fetcher.Fetch(server_.Url("/status/" + std::to_string(http))), code,
                "image URL answered HTTP " + std::to_string(http));
  }
}

TEST_F(PhotoFetcherTest, HtmlServedAsJpegIsNotAnImage) {
  PhotoFetcher fetcher(LoopbackOptions());
  ExpectError(fetcher.Fetch(server_.Url("/html")), StatusCode::kInvalidArgument,
              "not an image (looks like HTML)");
}

TEST_F(PhotoFetcherTest, AnEmptyBodyIsInvalid) {
  PhotoFetcher fetcher(LoopbackOptions());
  ExpectError(fetcher.Fetch(server_.Url("/empty")), StatusCode::kInvalidArgument, "empty response");
}

TEST_F(PhotoFetcherTest, ABodyOverTheLimitIsRefusedWithAndWithoutContentLength) {
  FetchOptions options = LoopbackOptions();
  options.max_bytes = 1000;
  PhotoFetcher fetcher(options);
  ExpectError(fetcher.Fetch(server_.Url("/big")), StatusCode::kInvalidArgument,
              "image is larger than the limit of 1000 bytes");
  ExpectError(fetcher.Fetch(server_.Url("/big-chunked")), StatusCode::kInvalidArgument,
              "image is larger than the limit of 1000 bytes");
}

TEST_F(PhotoFetcherTest, TheLimitIsInclusive) {
  FetchOptions options = LoopbackOptions();
  options.max_bytes = static_cast<int64_t>(TestPhoto().size());
  EXPECT_TRUE(PhotoFetcher(options).Fetch(server_.Url("/photo.jpg")).has_value());
  options.max_bytes -= 1;
  ExpectError(PhotoFetcher(options).Fetch(server_.Url("/photo.jpg")), StatusCode::kInvalidArgument,
              "image is larger than the limit");
}

TEST_F(PhotoFetcherTest, AServerThatStallsHitsTheTotalTimeout) {
  FetchOptions options = LoopbackOptions();
  options.total_timeout = 500ms;
  PhotoFetcher fetcher(options);
  ExpectError(fetcher.Fetch(server_.Url("/slow")), StatusCode::kDeadlineExceeded, "timed out");
}

TEST_F(PhotoFetcherTest, StopAbortsATransferInProgress) {
  FetchOptions options = LoopbackOptions();
  options.total_timeout = 120s;  // far beyond the test: only the stop can end this download
  PhotoFetcher fetcher(options);
  std::stop_source stop;
  std::optional<Result<FetchedPhoto>> result;
  std::thread download(
      [&] { result.emplace(fetcher.Fetch(server_.Url("/slow"), stop.get_token())); });
  ASSERT_TRUE(server_.WaitForSlowRequest());
  stop.request_stop();
  download.join();
  ASSERT_TRUE(result.has_value());
  ExpectError(*result, StatusCode::kCancelled, "cancelled");
}

TEST_F(PhotoFetcherTest, AStopRequestedBeforeTheStartMakesNoRequest) {
  PhotoFetcher fetcher(LoopbackOptions());
  std::stop_source stop;
  stop.request_stop();
  ExpectError(fetcher.Fetch(server_.Url("/photo.jpg"), stop.get_token()), StatusCode::kCancelled,
              "cancelled");
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(PhotoFetcherTest, RedirectsAreFollowedUpToTheLimit) {
  PhotoFetcher fetcher(LoopbackOptions());
  Result<FetchedPhoto> photo = fetcher.Fetch(server_.Url("/chain/5"));
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_EQ(photo->final_url, server_.Url("/chain/0"));
  ExpectError(fetcher.Fetch(server_.Url("/chain/6")), StatusCode::kInvalidArgument,
              "too many redirects (more than 5)");
}

TEST_F(PhotoFetcherTest, ARedirectToAFileUrlIsRefused) {
  PhotoFetcher fetcher(LoopbackOptions());
  ExpectError(fetcher.Fetch(server_.RedirectUrl("file:///etc/passwd")),
              StatusCode::kInvalidArgument, "unsupported URL scheme");
  ExpectError(fetcher.Fetch(server_.RedirectUrl(
                  "gopher://127.0.0.1:" + std::to_string(server_.port()) + "/_x")),
              StatusCode::kInvalidArgument, "unsupported URL scheme");
}

// The first hop is allowed (127.0.0.1/32); the redirect goes to a second server on 127.0.0.2.
TEST_F(PhotoFetcherTest, ARedirectToLoopbackIsCheckedAgain) {
  TestServer inside("127.0.0.2");
  if (!inside.ok()) GTEST_SKIP() << "cannot bind 127.0.0.2 here";
  const std::string redirect = server_.RedirectUrl(inside.Url("/photo.jpg"));

  FetchOptions only_first_hop;
  only_first_hop.allowed_networks = Networks("127.0.0.1/32");
  ExpectError(PhotoFetcher(only_first_hop).Fetch(redirect), StatusCode::kInvalidArgument,
              "refusing to fetch from 127.0.0.2: loopback address (set FETCH_ALLOWED_NETWORKS to "
              "allow it)");
  EXPECT_EQ(inside.requests(), 0);
  ExpectError(PhotoFetcher(only_first_hop)
                  .Fetch(server_.RedirectUrl("http://169.254.169.254/latest/meta-data/")),
              StatusCode::kInvalidArgument,
              "refusing to fetch from 169.254.169.254: cloud metadata address");
  ExpectError(PhotoFetcher(only_first_hop)
                  .Fetch(server_.RedirectUrl("http://0.0.0.0:" + std::to_string(inside.port()) +
                                             "/photo.jpg")),
              StatusCode::kInvalidArgument, "refusing to fetch from 0.0.0.0: unspecified address");
  EXPECT_EQ(inside.requests(), 0);

  Result<FetchedPhoto> photo = PhotoFetcher(LoopbackOptions()).Fetch(redirect);
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_EQ(photo->final_url, inside.Url("/photo.jpg"));
  EXPECT_EQ(inside.requests(), 1);
}

TEST_F(PhotoFetcherTest, InsideAddressesAreRefusedWithoutAConnection) {
  PhotoFetcher fetcher(FetchOptions{});  // no network opened
  const std::string port = std::to_string(server_.port());
  const std::pair<std::string, std::string_view> kCases[] = {
      {"http://127.0.0.1:" + port + "/photo.jpg",
       "refusing to fetch from 127.0.0.1: loopback address"},
      {"http://127.1.2.3:" + port + "/photo.jpg", "127.1.2.3: loopback address"},
      {"http://localhost:" + port + "/photo.jpg", "loopback address"},
      {"http://[::1]:" + port + "/photo.jpg", "refusing to fetch from ::1: loopback address"},
      {"http://0.0.0.0:" + port + "/photo.jpg",
       "refusing to fetch from 0.0.0.0: unspecified address"},
      {"http://[::]:" + port + "/photo.jpg", "refusing to fetch from ::: unspecified address"},
      {"http://[::ffff:127.0.0.1]:" + port + "/photo.jpg", "::ffff:127.0.0.1: loopback address"},
      {"http://169.254.169.254/latest/meta-data/", "169.254.169.254: cloud metadata address"},
      {"http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254: cloud metadata address"},
      {"http://10.0.0.1/a.jpg", "10.0.0.1: private address"},
      {"http://172.16.5.4/a.jpg", "172.16.5.4: private address"},
      {"https://192.168.1.1/a.jpg", "192.168.1.1: private address"},
      {"http://100.64.0.1/a.jpg", "100.64.0.1: carrier-grade NAT address"},
      {"http://[fe80::1]/a.jpg", "fe80::1: link-local address"},
      {"http://[fc00::1]/a.jpg", "fc00::1: private address"},
  };
  for (const auto& [url, message] : kCases) {
    SCOPED_TRACE(url);
    ExpectError(fetcher.Fetch(url), StatusCode::kInvalidArgument, message);
  }
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(PhotoFetcherTest, AHostNameIsJudgedByTheAddressItResolvesTo) {
  const std::string url = "http://localhost:" + std::to_string(server_.port()) + "/photo.jpg";
  ExpectError(PhotoFetcher(FetchOptions{}).Fetch(url), StatusCode::kInvalidArgument,
              "loopback address (set FETCH_ALLOWED_NETWORKS to allow it)");
  EXPECT_EQ(server_.requests(), 0);
  Result<FetchedPhoto> photo = PhotoFetcher(LoopbackOptions()).Fetch(url);
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_EQ(photo->content_type, "image/jpeg");
}

TEST_F(PhotoFetcherTest, OnlyHttpAndHttpsAreFetched) {
  PhotoFetcher fetcher(LoopbackOptions());
  const std::string host = "127.0.0.1:" + std::to_string(server_.port());
  const std::pair<std::string, std::string_view> kCases[] = {
      {"file:///etc/passwd", "unsupported URL scheme \"file\""},
      {"gopher://" + host + "/_GET%20/photo.jpg", "unsupported URL scheme \"gopher\""},
      {"ftp://" + host + "/photo.jpg", "unsupported URL scheme \"ftp\""},
      {"dict://" + host + "/info", "unsupported URL scheme \"dict\""},
      {host + "/photo.jpg", "unsupported URL scheme"},
      {"", "unsupported URL scheme"},
  };
  for (const auto& [url, message] : kCases) {
    SCOPED_TRACE(url);
    ExpectError(fetcher.Fetch(url), StatusCode::kInvalidArgument, message);
  }
  EXPECT_EQ(server_.requests(), 0);
}

TEST_F(PhotoFetcherTest, ARefusedConnectionIsTransient) {
  // A bound socket that does not listen: connecting to it is refused at once.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/a.jpg";
  Result<FetchedPhoto> result = PhotoFetcher(LoopbackOptions()).Fetch(url);
  ::close(fd);
  ExpectError(result, StatusCode::kUnavailable, "image download failed");
}

TEST_F(PhotoFetcherTest, CredentialsInTheUrlNeverAppearInMessages) {
  PhotoFetcher fetcher(LoopbackOptions());
  const std::string userinfo = "alice:s3cret-pw@";
  const std::string host = "127.0.0.1:" + std::to_string(server_.port());
  const std::string kUrls[] = {
      "http://" + userinfo + host + "/status/404",
      "http://" + userinfo + host + "/html",
      "http://" + userinfo + "169.254.169.254/latest/meta-data/",
      "gopher://" + userinfo + host + "/",
      "http://" + userinfo + "[::1]:" + std::to_string(server_.port()) + "/",
  };
  for (const std::string& url : kUrls) {
    Result<FetchedPhoto> result = fetcher.Fetch(url);
    ASSERT_FALSE(result.has_value()) << url;
    EXPECT_EQ(result.error().message().find("s3cret"), std::string::npos)
        << result.error().message();
    EXPECT_EQ(result.error().message().find("alice"), std::string::npos)
        << result.error().message();
  }
  Result<FetchedPhoto> photo = fetcher.Fetch("http://" + userinfo + host + "/photo.jpg");
  ASSERT_TRUE(photo.has_value()) << photo.error().ToString();
  EXPECT_EQ(photo->final_url, server_.Url("/photo.jpg"));
}

TEST(FetchOptionsTest, Validate) {
  EXPECT_TRUE(FetchOptions{}.Validate().ok());
  auto invalid = [](auto change) {
    FetchOptions options;
    change(options);
    return options.Validate().code();
  };
  EXPECT_EQ(invalid([](FetchOptions& o) { o.max_bytes = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.connect_timeout = 0ms; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.total_timeout = -1ms; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.max_redirects = -1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.max_redirects = 21; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.user_agent.clear(); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid([](FetchOptions& o) { o.max_redirects = 0; }), StatusCode::kOk);
}

}  // namespace
}  // namespace enhancer
