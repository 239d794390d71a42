// The stand-in refuses what the real service would refuse (or what the planner must never send):
// without these checks, the planner tests' "no problem in any request" would prove nothing.
#include "plan/gemini_stand_in.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/base64.h"
#include "net/http_client.h"
#include "plan/gemini_request.h"
#include "plan/gemini_test_support.h"

namespace enhancer {
namespace {

using gemini_test::GeminiStandIn;
using gemini_test::kTestApiKey;
using Json = nlohmann::json;

class GeminiStandInTest : public ::testing::Test {
 protected:
  GeminiStandInTest()
      : stand_in_(kTestApiKey),
        http_(MakeCurlHttpClient()),
        jpeg_(gemini_test::ProductPreview().jpeg) {}

  Json ValidBody() {
    GeminiRequest q;
    q.jpeg = jpeg_;
    q.product_name = "mug";
    q.count = 3;
    return Json::parse(GeminiRequestBody(q));
  }

  HttpRequest Post(const Json& body,
                   std::string path = "/v1beta/models/gemini-2.5-flash:generateContent") {
    HttpRequest request;
    request.method = "POST";
    request.url = stand_in_.url() + path;
    request.headers = {{"x-goog-api-key", kTestApiKey}, {"Content-Type", "application/json"}};
    request.body = body.dump();
    return request;
  }

  HttpResponse Send(const HttpRequest& request) {
    Result<HttpResponse> response = http_->Send(request, {});
    EXPECT_TRUE(response.has_value()) << response.error().ToString();
    return response ? *response : HttpResponse{};
  }

  GeminiStandIn stand_in_;
  std::unique_ptr<HttpClient> http_;
  std::string jpeg_;
};

TEST_F(GeminiStandInTest, AnswersAValidRequestInGeminisFormat) {
  HttpResponse response = Send(Post(ValidBody()));
  ASSERT_EQ(response.status, 200) << response.body;
  const Json answer = Json::parse(response.body);
  EXPECT_EQ(answer["candidates"][0]["finishReason"], "STOP");
  EXPECT_EQ(answer["candidates"][0]["content"]["role"], "model");
  const Json recipes =
      Json::parse(answer["candidates"][0]["content"]["parts"][0]["text"].get<std::string>());
  EXPECT_EQ(recipes["recipes"].size(), 3u);
  EXPECT_EQ(answer["usageMetadata"]["totalTokenCount"], gemini_test::kStandInTotalTokens);
  EXPECT_EQ(answer["modelVersion"], "gemini-2.5-flash");
  ASSERT_EQ(stand_in_.requests().size(), 1u);
  EXPECT_EQ(stand_in_.requests()[0].problem, "");
  EXPECT_EQ(stand_in_.requests()[0].count, 3);
  EXPECT_EQ(stand_in_.requests()[0].model, "gemini-2.5-flash");
}

// A remote model's latency, for benchmarks. sleep_for waits at least as long as asked, so the
// lower bound cannot fail on a slow machine.
TEST_F(GeminiStandInTest, AnswersNoSoonerThanTheLatencySet) {
  stand_in_.SetLatency(std::chrono::milliseconds(120));
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response = Send(Post(ValidBody()));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(120));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stand_in_.requests()[0].problem, "");
}

TEST_F(GeminiStandInTest, RefusesRequestsTheRealServiceWouldRefuseOrThatLeakTheKey) {
  struct Case {
    const char* what;
    std::function<void(HttpRequest&, Json&)> change;
    int status;
    std::string problem;
  };
  const Case cases[] = {
      {"no key", [](HttpRequest& r, Json&) { r.headers.erase(r.headers.begin()); }, 403,
       "no x-goog-api-key header"},
      {"key in the URL", [](HttpRequest& r, Json&) { r.url += std::string("?key=") + kTestApiKey; },
       400, "the key was sent in the URL"},
      {"wrong key", [](HttpRequest& r, Json&) { r.headers[0].second = "AIzaWrong"; }, 400,
       "a wrong API key"},
      {"text content type", [](HttpRequest& r, Json&) { r.headers[1].second = "text/plain"; }, 400,
       "Content-Type must be application/json, got \"text/plain\""},
      {"text first",
       [](HttpRequest&, Json& b) {
         std::swap(b["contents"][0]["parts"][0], b["contents"][0]["parts"][1]);
       },
       400, "the image part must come before the text part"},
      {"not base64",
       [](HttpRequest&, Json& b) { b["contents"][0]["parts"][0]["inline_data"]["data"] = "abc"; },
       400, "inline_data.data is not valid base64"},
      {"not a JPEG",
       [](HttpRequest&, Json& b) {
         b["contents"][0]["parts"][0]["inline_data"]["data"] = "aGVsbG8gd29ybGQ=";
       },
       400, "inline_data.data is not a JPEG"},
      {"PNG mime type",
       [](HttpRequest&, Json& b) {
         b["contents"][0]["parts"][0]["inline_data"]["mime_type"] = "image/png";
       },
       400, "inline_data.mime_type must be image/jpeg"},
      {"no schema", [](HttpRequest&, Json& b) { b["generationConfig"].erase("responseSchema"); },
       400, "no generationConfig.responseSchema"},
      {"text answers",
       [](HttpRequest&, Json& b) { b["generationConfig"]["responseMimeType"] = "text/plain"; }, 400,
       "generationConfig.responseMimeType must be application/json"},
      {"open count",
       [](HttpRequest&, Json& b) {
         b["generationConfig"]["responseSchema"]["properties"]["recipes"].erase("maxItems");
       },
       400, "recipes must have minItems = maxItems >= 1"},
      {"unbounded gamma",
       [](HttpRequest&, Json& b) {
         b["generationConfig"]["responseSchema"]["properties"]["recipes"]["items"]["properties"]
          ["gamma"]
              .erase("maximum");
       },
       400, "the recipe schema gives gamma no minimum and maximum"},
  };
  for (const Case& c : cases) {
    Json body = ValidBody();
    HttpRequest request = Post(body);
    c.change(request, body);
    request.body = body.dump();
    const size_t before = stand_in_.requests().size();
    HttpResponse response = Send(request);
    EXPECT_EQ(response.status, c.status) << c.what << ": " << response.body;
    const Json error = Json::parse(response.body, nullptr, false);
    EXPECT_TRUE(error.contains("error")) << c.what << ": " << response.body;
    ASSERT_EQ(stand_in_.requests().size(), before + 1) << c.what;
    EXPECT_EQ(stand_in_.requests().back().problem, c.problem) << c.what;
  }
}

TEST_F(GeminiStandInTest, RecordsUnexpectedPaths) {
  HttpRequest request;
  request.url = stand_in_.url() + "/v1/models";
  request.headers = {{"x-goog-api-key", kTestApiKey}};
  HttpResponse response = Send(request);
  EXPECT_EQ(response.status, 404);
  ASSERT_EQ(stand_in_.requests().size(), 1u);
  EXPECT_EQ(stand_in_.requests()[0].problem, "unexpected GET /v1/models");
}

class GeminiStandInImageTest : public GeminiStandInTest {
 protected:
  GeminiStandInImageTest() { stand_in_.SetAliases({"gemini-2.5-flash-image"}); }

  static Recipe Warm() {
    Recipe recipe;
    recipe.name = "warm";
    recipe.prompt = "Warm it a little.";
    return recipe;
  }
  Json ValidImageBody() { return Json::parse(GeminiImageRequestBody(jpeg_, Warm())); }
  HttpRequest PostImage(const Json& body) {
    return Post(body, "/v1beta/models/gemini-2.5-flash-image:generateContent");
  }
};

TEST_F(GeminiStandInImageTest, AnswersAnImageRequestWithAThoughtAndAnImagePart) {
  HttpResponse response = Send(PostImage(ValidImageBody()));
  ASSERT_EQ(response.status, 200) << response.body;
  const Json answer = Json::parse(response.body);
  const Json& parts = answer["candidates"][0]["content"]["parts"];
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0]["thought"], true);
  EXPECT_EQ(parts[1]["thought"], true);
  EXPECT_EQ(parts[1]["inlineData"]["mimeType"], "image/png");
  EXPECT_EQ(parts[2]["text"], "Here is the enhanced photo.");
  EXPECT_EQ(parts[3]["inlineData"]["mimeType"], "image/png");
  const std::optional<std::string> png =
      Base64Decode(parts[3]["inlineData"]["data"].get<std::string>());
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(*png, gemini_test::StandInImagePng());
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  ASSERT_EQ(stand_in_.requests().size(), 1u);
  EXPECT_EQ(stand_in_.requests()[0].problem, "");
  EXPECT_TRUE(stand_in_.requests()[0].image_request);
  EXPECT_EQ(stand_in_.requests()[0].prompt, GeminiImagePrompt(Warm()));
}

TEST_F(GeminiStandInImageTest, AnswersTextOnlyOrAPageAsScripted) {
  stand_in_.Script({gemini_test::GeminiReply::kTextOnly, gemini_test::GeminiReply::kNotAnImage});
  const Json text_only = Json::parse(Send(PostImage(ValidImageBody())).body);
  const Json& only = text_only["candidates"][0]["content"]["parts"];
  ASSERT_EQ(only.size(), 1u);
  EXPECT_TRUE(only[0].contains("text"));
  const Json page = Json::parse(Send(PostImage(ValidImageBody())).body);
  const std::string data = page["candidates"][0]["content"]["parts"][1]["inlineData"]["data"];
  EXPECT_TRUE(Base64Decode(data)->starts_with("<!DOCTYPE html>"));
}

TEST_F(GeminiStandInImageTest, RefusesImageRequestsTheRealServiceWouldRefuse) {
  struct Case {
    const char* what;
    std::function<void(HttpRequest&, Json&)> change;
    std::string problem;
  };
  const Case cases[] = {
      {"no IMAGE modality",
       [](HttpRequest&, Json& b) { b["generationConfig"]["responseModalities"] = {"TEXT"}; },
       "responseModalities must include IMAGE"},
      {"an unknown modality",
       [](HttpRequest&, Json& b) {
         b["generationConfig"]["responseModalities"] = {"IMAGE", "VIDEO"};
       },
       "responseModalities may hold only TEXT and IMAGE, got \"VIDEO\""},
      {"JSON as well",
       [](HttpRequest&, Json& b) {
         b["generationConfig"]["responseMimeType"] = "application/json";
       },
       "an image request must not ask for JSON"},
      {"a text model",
       [this](HttpRequest& r, Json&) {
         r.url = stand_in_.url() + "/v1beta/models/gemini-2.5-flash:generateContent";
       },
       "model gemini-2.5-flash does not support the response modality IMAGE"},
      {"text first",
       [](HttpRequest&, Json& b) {
         std::swap(b["contents"][0]["parts"][0], b["contents"][0]["parts"][1]);
       },
       "the image part must come before the text part"},
  };
  for (const Case& c : cases) {
    Json body = ValidImageBody();
    HttpRequest request = PostImage(body);
    c.change(request, body);
    request.body = body.dump();
    HttpResponse response = Send(request);
    EXPECT_EQ(response.status, 400) << c.what << ": " << response.body;
    EXPECT_EQ(stand_in_.requests().back().problem, c.problem) << c.what;
  }
}
}  // namespace
}  // namespace enhancer
