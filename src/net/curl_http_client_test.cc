#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/loopback_http_server.h"
#include "core/status_matchers.h"

namespace enhancer {
namespace {

using std::chrono::milliseconds;

// A port on 127.0.0.1 where nothing listens: bound, then released.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// What the server saw of the last request, for the assertions.
struct Seen {
  std::mutex mu;
  std::string method, body, content_type, expect_header, custom_header;
  bool had_expect = false, had_content_type = false;
};

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto record = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(seen_.mu);
      seen_.method = req.method;
      seen_.body = req.body;
      seen_.had_expect = req.has_header("Expect");
      seen_.had_content_type = req.has_header("Content-Type");
      seen_.content_type = req.get_header_value("Content-Type");
      seen_.custom_header = req.get_header_value("X-Test-Header");
      res.set_header("X-Echo-Method", req.method);
      res.set_header("X-Mixed-Case", "Kept As Is");
      res.set_content(req.method + ":" + req.body, "text/plain");
    };
    auto& s = server_.server();
    s.Get("/echo", record);
    s.Post("/echo", record);
    s.Put("/echo", record);
    s.Delete("/echo", record);
    s.Patch("/echo", record);
    s.Get("/status/(\\d+)", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1]);
      if (res.status != 204) res.set_content("status body", "text/plain");
    });
    s.Get("/redirect",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo", 302); });
    s.Get("/binary", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string("a\0b\0c", 5), "application/octet-stream");
    });
    s.Get("/port", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.remote_port), "text/plain");
    });
    s.Get("/block", [this](const httplib::Request&, httplib::Response& res) {
      entered_.set_value();
      release_.wait();
      res.set_content("late", "text/plain");
    });
    server_.Start();
  }

  void TearDown() override {
    client_.reset();  // closes its idle connections, so the server's threads end at once
    release_promise_.set_value();
    server_.Stop();
  }

  HttpRequest Request(std::string method, std::string path) {
    HttpRequest request;
    request.method = std::move(method);
    request.url = server_.url() + path;
    return request;
  }

  LoopbackHttpServer server_;
  std::unique_ptr<HttpClient> client_ = MakeCurlHttpClient();
  Seen seen_;
  std::promise<void> entered_;
  std::promise<void> release_promise_;
  std::shared_future<void> release_ = release_promise_.get_future().share();
};

TEST_F(CurlHttpClientTest, SendsEachMethodWithItsBodyAndHeaders) {
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
    SCOPED_TRACE(method);
    HttpRequest request = Request(method, "/echo");
    request.headers = {{"X-Test-Header", "value 1"}, {"Content-Type", "application/json"}};
    if (std::string(method) != "GET") request.body = std::string("{\"m\":\"") + method + "\"}";
    ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(request, {}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, std::string(method) + ":" + request.body);
    EXPECT_EQ(response.Header("x-echo-method"), method);
    std::lock_guard lock(seen_.mu);
    EXPECT_EQ(seen_.method, method);
    EXPECT_EQ(seen_.body, request.body);
    EXPECT_EQ(seen_.custom_header, "value 1");
    EXPECT_EQ(seen_.content_type, "application/json");
  }
}

TEST_F(CurlHttpClientTest, LowercasesResponseHeaderNamesButNotValues) {
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(Request("GET", "/echo"), {}));
  EXPECT_EQ(response.Header("x-mixed-case"), "Kept As Is");
  EXPECT_EQ(response.Header("X-Mixed-Case"), "");  // lookups take the lowercase name
  for (const auto& [name, value] : response.headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }
}

TEST_F(CurlHttpClientTest, HeadReturnsHeadersWithoutBody) {
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(Request("HEAD", "/echo"), {}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.Header("x-echo-method"), "HEAD");
  EXPECT_EQ(response.Header("content-length"), "5");  // "HEAD:" as a GET would have sent it
}

TEST_F(CurlHttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  for (int status : {201, 204, 400, 403, 404, 429, 500, 503}) {
    ASSERT_OK_AND_ASSIGN(HttpResponse response,
                         client_->Send(Request("GET", "/status/" + std::to_string(status)), {}));
    EXPECT_EQ(response.status, status);
  }
}

TEST_F(CurlHttpClientTest, DoesNotFollowRedirects) {
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(Request("GET", "/redirect"), {}));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.Header("location"), "/echo");
}

TEST_F(CurlHttpClientTest, KeepsBinaryBodiesIntact) {
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(Request("GET", "/binary"), {}));
  EXPECT_EQ(response.body, std::string("a\0b\0c", 5));
}

TEST_F(CurlHttpClientTest, LargePutSendsNoExpectHeader) {
  HttpRequest request = Request("PUT", "/echo");
  request.headers = {{"Content-Type", "application/octet-stream"}};
  request.body = std::string(2 << 20, 'x');  // above the size at which curl would ask
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(request, {}));
  EXPECT_EQ(response.status, 200);
  std::lock_guard lock(seen_.mu);
  EXPECT_FALSE(seen_.had_expect);
  EXPECT_EQ(seen_.body.size(), request.body.size());
}

TEST_F(CurlHttpClientTest, AddsNoContentTypeOfItsOwn) {
  HttpRequest request = Request("POST", "/echo");
  request.body = "plain bytes";
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(request, {}));
  EXPECT_EQ(response.status, 200);
  std::lock_guard lock(seen_.mu);
  EXPECT_FALSE(seen_.had_content_type) << seen_.content_type;
}

TEST_F(CurlHttpClientTest, EmptyPutStillSendsABody) {
  HttpRequest request = Request("PUT", "/echo");
  ASSERT_OK_AND_ASSIGN(HttpResponse response, client_->Send(request, {}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "PUT:");
}

TEST_F(CurlHttpClientTest, ReusesTheConnectionForSequentialCalls) {
  ASSERT_OK_AND_ASSIGN(HttpResponse first, client_->Send(Request("GET", "/port"), {}));
  ASSERT_OK_AND_ASSIGN(HttpResponse second, client_->Send(Request("GET", "/port"), {}));
  EXPECT_EQ(first.body, second.body);  // same client port: the same TCP connection
}

TEST_F(CurlHttpClientTest, TimeoutIsDeadlineExceeded) {
  HttpRequest request = Request("GET", "/block");
  request.timeout = milliseconds(300);
  Result<HttpResponse> result = client_->Send(request, {});
  EXPECT_CODE(result, StatusCode::kDeadlineExceeded);
}

TEST_F(CurlHttpClientTest, ConnectionRefusedIsUnavailable) {
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/";
  EXPECT_CODE(client_->Send(request, {}), StatusCode::kUnavailable);
}

TEST_F(CurlHttpClientTest, UnresolvableHostIsUnavailable) {
  HttpRequest request;
  request.url = "http://no-such-host.invalid/";  // .invalid never resolves (RFC 6761)
  EXPECT_CODE(client_->Send(request, {}), StatusCode::kUnavailable);
}

TEST_F(CurlHttpClientTest, StopRequestCancelsAWaitingCall) {
  std::stop_source stop;
  std::future<Result<HttpResponse>> call = std::async(std::launch::async, [&] {
    HttpRequest request = Request("GET", "/block");
    request.timeout = std::chrono::minutes(10);  // only the stop request can end it
    return client_->Send(request, stop.get_token());
  });
  entered_.get_future().wait();  // the server holds the request now
  stop.request_stop();
  Result<HttpResponse> result = call.get();
  EXPECT_CODE(result, StatusCode::kCancelled);
}

TEST_F(CurlHttpClientTest, StopRequestedBeforeTheCallCancelsIt) {
  std::stop_source stop;
  stop.request_stop();
  EXPECT_CODE(client_->Send(Request("GET", "/echo"), stop.get_token()), StatusCode::kCancelled);
}

TEST_F(CurlHttpClientTest, RefusesRequestsItCannotSendAsGiven) {
  HttpRequest bad_method = Request("BREW", "/echo");
  EXPECT_CODE(client_->Send(bad_method, {}), StatusCode::kInvalidArgument);
  HttpRequest bad_scheme = Request("GET", "/echo");
  bad_scheme.url = "ftp://127.0.0.1/x";
  EXPECT_CODE(client_->Send(bad_scheme, {}), StatusCode::kInvalidArgument);
  HttpRequest space = Request("GET", "/a b");
  EXPECT_CODE(client_->Send(space, {}), StatusCode::kInvalidArgument);
  HttpRequest injected = Request("GET", "/echo");
  injected.headers = {{"X-Test-Header", "a\r\nX-Injected: 1"}};
  EXPECT_CODE(client_->Send(injected, {}), StatusCode::kInvalidArgument);
  HttpRequest bad_name = Request("GET", "/echo");
  bad_name.headers = {{"Bad Name", "v"}};
  EXPECT_CODE(client_->Send(bad_name, {}), StatusCode::kInvalidArgument);
}

TEST_F(CurlHttpClientTest, ErrorMessagesLeaveOutTheQuery) {
  HttpRequest request;
  request.url =
      "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/k?X-Amz-Security-Token=SECRET-TOKEN";
  Result<HttpResponse> result = client_->Send(request, {});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message().find("SECRET-TOKEN"), std::string::npos)
      << result.error().message();
}

TEST_F(CurlHttpClientTest, ServesConcurrentCallers) {
  constexpr int kThreads = 6;
  constexpr int kCallsEach = 15;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsEach; ++i) {
        HttpRequest request = Request("POST", "/echo");
        request.body = std::to_string(t) + "-" + std::to_string(i);
        Result<HttpResponse> response = client_->Send(request, {});
        if (response && response->body == "POST:" + request.body) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kCallsEach);
}

}  // namespace
}  // namespace enhancer
